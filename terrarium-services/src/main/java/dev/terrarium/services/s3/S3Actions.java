package dev.terrarium.services.s3;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.Map;

/** The IAM actions S3 operations are authorized as, where they are not the operation's own name. */
final class S3Actions {
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("ListBuckets", "ListAllMyBuckets"),
            Map.entry("ListDirectoryBuckets", "ListAllMyDirectoryBuckets"),
            Map.entry("HeadBucket", "ListBucket"),
            Map.entry("ListObjects", "ListBucket"),
            Map.entry("ListObjectsV2", "ListBucket"),
            Map.entry("ListObjectVersions", "ListBucketVersions"),
            Map.entry("ListMultipartUploads", "ListBucketMultipartUploads"),
            Map.entry("ListParts", "ListMultipartUploadParts"),
            Map.entry("HeadObject", "GetObject"),
            Map.entry("GetObjectAttributes", "GetObjectAttributes"),
            Map.entry("SelectObjectContent", "GetObject"),
            Map.entry("CopyObject", "PutObject"),
            Map.entry("CreateMultipartUpload", "PutObject"),
            Map.entry("UploadPart", "PutObject"),
            Map.entry("UploadPartCopy", "PutObject"),
            Map.entry("CompleteMultipartUpload", "PutObject"),
            Map.entry("DeleteObjects", "DeleteObject"),
            Map.entry("PutBucketCors", "PutBucketCORS"),
            Map.entry("GetBucketCors", "GetBucketCORS"),
            Map.entry("DeleteBucketCors", "PutBucketCORS"),
            Map.entry("PutBucketLifecycle", "PutLifecycleConfiguration"),
            Map.entry("PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"),
            Map.entry("GetBucketLifecycle", "GetLifecycleConfiguration"),
            Map.entry("GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"),
            Map.entry("DeleteBucketLifecycle", "PutLifecycleConfiguration"),
            Map.entry("PutBucketEncryption", "PutEncryptionConfiguration"),
            Map.entry("GetBucketEncryption", "GetEncryptionConfiguration"),
            Map.entry("DeleteBucketEncryption", "PutEncryptionConfiguration"),
            Map.entry("DeleteBucketTagging", "PutBucketTagging"),
            Map.entry("PutPublicAccessBlock", "PutBucketPublicAccessBlock"),
            Map.entry("GetPublicAccessBlock", "GetBucketPublicAccessBlock"),
            Map.entry("DeletePublicAccessBlock", "PutBucketPublicAccessBlock"),
            Map.entry("PutBucketReplication", "PutReplicationConfiguration"),
            Map.entry("GetBucketReplication", "GetReplicationConfiguration"),
            Map.entry("DeleteBucketReplication", "PutReplicationConfiguration"),
            Map.entry("PutBucketNotificationConfiguration", "PutBucketNotification"),
            Map.entry("GetBucketNotificationConfiguration", "GetBucketNotification"),
            Map.entry("PutObjectLockConfiguration", "PutBucketObjectLockConfiguration"),
            Map.entry("GetObjectLockConfiguration", "GetBucketObjectLockConfiguration"),
            Map.entry("PutBucketAccelerateConfiguration", "PutAccelerateConfiguration"),
            Map.entry("GetBucketAccelerateConfiguration", "GetAccelerateConfiguration"),
            Map.entry("PutBucketMetricsConfiguration", "PutMetricsConfiguration"),
            Map.entry("GetBucketMetricsConfiguration", "GetMetricsConfiguration"),
            Map.entry("DeleteBucketMetricsConfiguration", "PutMetricsConfiguration"),
            Map.entry("ListBucketMetricsConfigurations", "GetMetricsConfiguration"),
            Map.entry("PutBucketInventoryConfiguration", "PutInventoryConfiguration"),
            Map.entry("GetBucketInventoryConfiguration", "GetInventoryConfiguration"),
            Map.entry("DeleteBucketInventoryConfiguration", "PutInventoryConfiguration"),
            Map.entry("ListBucketInventoryConfigurations", "GetInventoryConfiguration"),
            Map.entry("PutBucketAnalyticsConfiguration", "PutAnalyticsConfiguration"),
            Map.entry("GetBucketAnalyticsConfiguration", "GetAnalyticsConfiguration"),
            Map.entry("DeleteBucketAnalyticsConfiguration", "PutAnalyticsConfiguration"),
            Map.entry("ListBucketAnalyticsConfigurations", "GetAnalyticsConfiguration"),
            Map.entry("PutBucketIntelligentTieringConfiguration", "PutIntelligentTieringConfiguration"),
            Map.entry("GetBucketIntelligentTieringConfiguration", "GetIntelligentTieringConfiguration"),
            Map.entry("DeleteBucketIntelligentTieringConfiguration", "PutIntelligentTieringConfiguration"),
            Map.entry("ListBucketIntelligentTieringConfigurations", "GetIntelligentTieringConfiguration"),
            Map.entry("DeleteBucketOwnershipControls", "PutBucketOwnershipControls"),
            Map.entry("PutBucketNotification", "PutBucketNotification"),
            Map.entry("GetBucketNotification", "GetBucketNotification"));

    private S3Actions() {
    }

    /** s3:GetObjectVersion and friends when the call names a version, else the mapped or the operation's name. */
    static String of(Call call, Struct in) {
        String op = call.operation().name();
        if (in.string("VersionId") != null) {
            switch (op) {
                case "GetObject", "HeadObject" -> { return "GetObjectVersion"; }
                case "DeleteObject" -> { return "DeleteObjectVersion"; }
                case "GetObjectAcl" -> { return "GetObjectVersionAcl"; }
                case "PutObjectAcl" -> { return "PutObjectVersionAcl"; }
                case "GetObjectTagging" -> { return "GetObjectVersionTagging"; }
                case "PutObjectTagging" -> { return "PutObjectVersionTagging"; }
                case "DeleteObjectTagging" -> { return "DeleteObjectVersionTagging"; }
                default -> { }
            }
        }
        return ACTIONS.getOrDefault(op, op);
    }
}
