package dev.terrarium.core.protocol.xml;

import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;

import java.util.Map;

/**
 * The root element of a restXml response body. botocore's models leave it out (its parser never looks
 * at it) but AWS's Smithy models name it with @xmlName, and other SDKs may check it. Route 53 and
 * CloudFront name their output shapes as their roots; S3's roots are listed here from its Smithy model.
 */
final class RestXmlRootNames {
    private static final Map<String, String> S3 = Map.ofEntries(
            Map.entry("CompleteMultipartUpload", "CompleteMultipartUploadResult"),
            Map.entry("CreateMultipartUpload", "InitiateMultipartUploadResult"),
            Map.entry("CreateSession", "CreateSessionResult"),
            Map.entry("DeleteObjects", "DeleteResult"),
            Map.entry("GetBucketAccelerateConfiguration", "AccelerateConfiguration"),
            Map.entry("GetBucketAcl", "AccessControlPolicy"),
            Map.entry("GetBucketCors", "CORSConfiguration"),
            Map.entry("GetBucketLifecycle", "LifecycleConfiguration"),
            Map.entry("GetBucketLifecycleConfiguration", "LifecycleConfiguration"),
            Map.entry("GetBucketLocation", "LocationConstraint"),
            Map.entry("GetBucketLogging", "BucketLoggingStatus"),
            Map.entry("GetBucketNotification", "NotificationConfiguration"),
            Map.entry("GetBucketNotificationConfiguration", "NotificationConfiguration"),
            Map.entry("GetBucketRequestPayment", "RequestPaymentConfiguration"),
            Map.entry("GetBucketTagging", "Tagging"),
            Map.entry("GetBucketVersioning", "VersioningConfiguration"),
            Map.entry("GetBucketWebsite", "WebsiteConfiguration"),
            Map.entry("GetObjectAcl", "AccessControlPolicy"),
            Map.entry("GetObjectAttributes", "GetObjectAttributesResponse"),
            Map.entry("GetObjectTagging", "Tagging"),
            Map.entry("ListBucketAnalyticsConfigurations", "ListBucketAnalyticsConfigurationResult"),
            Map.entry("ListBucketInventoryConfigurations", "ListInventoryConfigurationsResult"),
            Map.entry("ListBucketMetricsConfigurations", "ListMetricsConfigurationsResult"),
            Map.entry("ListBuckets", "ListAllMyBucketsResult"),
            Map.entry("ListDirectoryBuckets", "ListAllMyDirectoryBucketsResult"),
            Map.entry("ListMultipartUploads", "ListMultipartUploadsResult"),
            Map.entry("ListObjectVersions", "ListVersionsResult"),
            Map.entry("ListObjects", "ListBucketResult"),
            Map.entry("ListObjectsV2", "ListBucketResult"),
            Map.entry("ListParts", "ListPartsResult"));

    private RestXmlRootNames() {
    }

    /** The root element of the operation's (non-payload) output body. */
    static String of(ServiceModel model, Operation operation) {
        if (operation.output().locationName() != null) {
            return operation.output().locationName();
        }
        if ("s3".equals(model.name())) {
            String root = S3.get(operation.name());
            if (root != null) {
                return root;
            }
        }
        return operation.output().name();
    }
}
