package dev.terrarium.services.logs;

import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.util.concurrent.ConcurrentSkipListMap;

/** A log group: its streams by name, retention, tags, and what is attached to it (filters, policies). */
public final class LogGroup {
    final String name;
    final String arn;
    final String account;
    final String region;
    final long creationTime;
    final String logGroupClass;
    final ConcurrentSkipListMap<String, LogStream> streams = new ConcurrentSkipListMap<>();
    final ConcurrentSkipListMap<String, Struct> subscriptionFilters = new ConcurrentSkipListMap<>();
    final ConcurrentSkipListMap<String, Struct> metricFilters = new ConcurrentSkipListMap<>();
    final Tags tags = new Tags();
    volatile Integer retentionInDays;
    volatile boolean deletionProtection;
    volatile String kmsKeyId;
    volatile Struct dataProtectionPolicy;
    volatile Struct indexPolicy;
    volatile Struct transformer;
    volatile boolean bearerTokenAuthentication;

    LogGroup(String account, String region, String name, String arn, long creationTime, String logGroupClass) {
        this.account = account;
        this.region = region;
        this.name = name;
        this.arn = arn;
        this.creationTime = creationTime;
        this.logGroupClass = logGroupClass;
    }

    public String name() { return name; }

    /** The oldest timestamp still kept under the retention policy at now. */
    long retainedFrom(long now) {
        Integer days = retentionInDays;
        return days == null ? Long.MIN_VALUE : now - days * 86_400_000L;
    }

    /** Carries out the retention policy: events older than it are deleted. */
    void expire(long now) {
        long from = retainedFrom(now);
        if (from != Long.MIN_VALUE) {
            streams.values().forEach(s -> s.expire(from));
        }
    }

    long storedBytes() {
        return streams.values().stream().mapToLong(LogStream::storedBytes).sum();
    }
}
