package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** A bucket: its keys (each with its versions), versioning state, uploads and stored configurations. */
final class Bucket {
    static final String ENABLED = "Enabled";
    static final String SUSPENDED = "Suspended";

    final String name;
    final String account;
    final String region;
    final Instant created;
    final ConcurrentSkipListMap<String, KeyHistory> objects = new ConcurrentSkipListMap<>(KeyOrder.INSTANCE);
    final Map<String, MultipartUpload> uploads = new ConcurrentHashMap<>();
    /** Stored configurations by name (Cors, Lifecycle, Policy, Tagging, ...). */
    final Map<String, Object> configs = new ConcurrentHashMap<>();
    /** null while versioning was never enabled, then Enabled or Suspended. */
    volatile String versioning;
    volatile String mfaDelete;
    volatile boolean objectLockEnabled;

    Bucket(String name, String account, String region, Instant created) {
        this.name = name;
        this.account = account;
        this.region = region;
        this.created = created;
    }

    boolean everVersioned() { return versioning != null; }

    boolean versioningEnabled() { return ENABLED.equals(versioning); }

    /** The version id a new write gets: fresh when versioning is enabled, else "null". */
    String nextVersionId() {
        return versioningEnabled() ? VersionIds.next() : S3Object.NULL_VERSION;
    }

    S3Object live(String key) {
        KeyHistory h = objects.get(key);
        return h == null ? null : h.live();
    }

    S3Object current(String key) {
        KeyHistory h = objects.get(key);
        return h == null ? null : h.current();
    }

    S3Object version(String key, String versionId) {
        KeyHistory h = objects.get(key);
        return h == null ? null : h.version(versionId);
    }

    /**
     * Makes o the key's current version once check accepts the live one; returns the version it
     * replaced (whose content the caller deletes), or null.
     */
    S3Object write(S3Object o, Consumer<S3Object> check) {
        boolean replaceNull = !versioningEnabled();
        while (true) {
            KeyHistory h = objects.computeIfAbsent(o.key, k -> new KeyHistory());
            KeyHistory.Pushed pushed = h.push(o, replaceNull, check);
            if (pushed != null) {
                return pushed.replaced();
            }
            objects.remove(o.key, h);
        }
    }

    /** Removes one version for good. */
    void remove(S3Object o) {
        KeyHistory h = objects.get(o.key);
        if (h != null && h.remove(o)) {
            objects.remove(o.key, h);
        }
    }

    Struct defaultEncryption() {
        Object c = configs.get(BucketConfigs.ENCRYPTION);
        if (c instanceof Struct s && s.list("Rules") != null && !s.list("Rules").isEmpty()) {
            Struct rule = ((Struct) s.list("Rules").get(0));
            Struct byDefault = rule.struct("ApplyServerSideEncryptionByDefault");
            if (byDefault != null) {
                return Struct.of("ServerSideEncryption", byDefault.string("SSEAlgorithm"),
                        "SSEKMSKeyId", byDefault.string("KMSMasterKeyID"),
                        "BucketKeyEnabled", rule.bool("BucketKeyEnabled"));
            }
        }
        return Struct.of("ServerSideEncryption", "AES256");
    }
}
