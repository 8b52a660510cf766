package dev.terrarium.services.s3;

/** Names under which a bucket's configurations are stored. */
final class BucketConfigs {
    static final String ENCRYPTION = "Encryption";

    private BucketConfigs() {}
}
