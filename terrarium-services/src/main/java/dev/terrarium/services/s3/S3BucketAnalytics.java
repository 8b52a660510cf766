package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/**
 * S3's configurations kept by id on a bucket: inventory, analytics, metrics and S3 Intelligent-Tiering
 * (stored and returned; see {@link BucketConfigs}).
 */
final class S3BucketAnalytics {
    private final S3State s3;

    S3BucketAnalytics(S3State s3) {
        this.s3 = s3;
    }

    @AwsOperation("PutBucketInventoryConfiguration")
    public Struct putBucketInventoryConfiguration(Call call, Struct in) {
        BucketConfigs.putById(s3.bucket(call, in), "Inventory", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketInventoryConfiguration")
    public Struct getBucketInventoryConfiguration(Call call, Struct in) {
        return BucketConfigs.getById(s3.bucket(call, in), "Inventory", call.operation(), in.string("Id"));
    }

    @AwsOperation("DeleteBucketInventoryConfiguration")
    public Struct deleteBucketInventoryConfiguration(Call call, Struct in) {
        BucketConfigs.deleteById(s3.bucket(call, in), "Inventory", in.string("Id"));
        return null;
    }

    @AwsOperation("ListBucketInventoryConfigurations")
    public Struct listBucketInventoryConfigurations(Call call, Struct in) {
        return BucketConfigs.listById(s3.bucket(call, in), "Inventory", call.operation(), in.string("ContinuationToken"));
    }

    @AwsOperation("PutBucketAnalyticsConfiguration")
    public Struct putBucketAnalyticsConfiguration(Call call, Struct in) {
        BucketConfigs.putById(s3.bucket(call, in), "Analytics", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketAnalyticsConfiguration")
    public Struct getBucketAnalyticsConfiguration(Call call, Struct in) {
        return BucketConfigs.getById(s3.bucket(call, in), "Analytics", call.operation(), in.string("Id"));
    }

    @AwsOperation("DeleteBucketAnalyticsConfiguration")
    public Struct deleteBucketAnalyticsConfiguration(Call call, Struct in) {
        BucketConfigs.deleteById(s3.bucket(call, in), "Analytics", in.string("Id"));
        return null;
    }

    @AwsOperation("ListBucketAnalyticsConfigurations")
    public Struct listBucketAnalyticsConfigurations(Call call, Struct in) {
        return BucketConfigs.listById(s3.bucket(call, in), "Analytics", call.operation(), in.string("ContinuationToken"));
    }

    @AwsOperation("PutBucketMetricsConfiguration")
    public Struct putBucketMetricsConfiguration(Call call, Struct in) {
        BucketConfigs.putById(s3.bucket(call, in), "Metrics", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketMetricsConfiguration")
    public Struct getBucketMetricsConfiguration(Call call, Struct in) {
        return BucketConfigs.getById(s3.bucket(call, in), "Metrics", call.operation(), in.string("Id"));
    }

    @AwsOperation("DeleteBucketMetricsConfiguration")
    public Struct deleteBucketMetricsConfiguration(Call call, Struct in) {
        BucketConfigs.deleteById(s3.bucket(call, in), "Metrics", in.string("Id"));
        return null;
    }

    @AwsOperation("ListBucketMetricsConfigurations")
    public Struct listBucketMetricsConfigurations(Call call, Struct in) {
        return BucketConfigs.listById(s3.bucket(call, in), "Metrics", call.operation(), in.string("ContinuationToken"));
    }

    @AwsOperation("PutBucketIntelligentTieringConfiguration")
    public Struct putBucketIntelligentTieringConfiguration(Call call, Struct in) {
        BucketConfigs.putById(s3.bucket(call, in), "IntelligentTiering", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketIntelligentTieringConfiguration")
    public Struct getBucketIntelligentTieringConfiguration(Call call, Struct in) {
        return BucketConfigs.getById(s3.bucket(call, in), "IntelligentTiering", call.operation(), in.string("Id"));
    }

    @AwsOperation("DeleteBucketIntelligentTieringConfiguration")
    public Struct deleteBucketIntelligentTieringConfiguration(Call call, Struct in) {
        BucketConfigs.deleteById(s3.bucket(call, in), "IntelligentTiering", in.string("Id"));
        return null;
    }

    @AwsOperation("ListBucketIntelligentTieringConfigurations")
    public Struct listBucketIntelligentTieringConfigurations(Call call, Struct in) {
        return BucketConfigs.listById(s3.bucket(call, in), "IntelligentTiering", call.operation(), in.string("ContinuationToken"));
    }
}
