package dev.terrarium.services.logs;

import dev.terrarium.core.service.Tags;

import java.util.concurrent.ConcurrentSkipListMap;

/** A log group: its streams by name, retention and tags. */
public final class LogGroup {
    final String name;
    final String arn;
    final long creationTime;
    final String logGroupClass;
    final ConcurrentSkipListMap<String, LogStream> streams = new ConcurrentSkipListMap<>();
    final Tags tags = new Tags();
    volatile Integer retentionInDays;

    LogGroup(String name, String arn, long creationTime, String logGroupClass) {
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

    long storedBytes() {
        return streams.values().stream().mapToLong(LogStream::storedBytes).sum();
    }
}
