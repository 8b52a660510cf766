package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.lambda.LambdaService;
import dev.terrarium.services.sqs.SqsService;

import java.util.List;

/**
 * S3's bucket configuration operations: each Put stores the operation's payload, each Get returns it
 * shaped by the model, each Delete forgets it (see {@link BucketConfigs}). Checks specific to one
 * configuration happen before it is stored.
 */
final class S3BucketConfigurations {
    private final S3State s3;

    S3BucketConfigurations(S3State s3) {
        this.s3 = s3;
    }

    /** PutObjectLockConfiguration: allowed on Object Lock buckets (or versioned ones, which it turns on). */
    private static void lockConfiguration(Bucket b, Struct in) {
        Struct config = in.struct("ObjectLockConfiguration");
        if (!b.objectLockEnabled && !b.versioningEnabled()) {
            throw S3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
        }
        if (config != null && "Enabled".equals(config.string("ObjectLockEnabled"))) {
            b.objectLockEnabled = true;
        }
    }

    @AwsOperation("PutBucketCors")
    public Struct putBucketCors(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Cors.validate(in.struct("CORSConfiguration"));
        BucketConfigs.put(b, "Cors", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketCors")
    public Struct getBucketCors(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Cors", call.operation());
    }

    @AwsOperation("DeleteBucketCors")
    public Struct deleteBucketCors(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "Cors");
        return null;
    }

    @AwsOperation("PutBucketLifecycleConfiguration")
    public Struct putBucketLifecycleConfiguration(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Lifecycle.validate(in.struct("LifecycleConfiguration"));
        BucketConfigs.put(b, Lifecycle.CONFIG, call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketLifecycleConfiguration")
    public Struct getBucketLifecycleConfiguration(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Lifecycle", call.operation());
    }

    @AwsOperation("DeleteBucketLifecycle")
    public Struct deleteBucketLifecycle(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "Lifecycle");
        return null;
    }

    @AwsOperation("PutBucketPolicy")
    public Struct putBucketPolicy(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketPolicies.validate(in.string("Policy"));
        BucketConfigs.put(b, "Policy", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketPolicy")
    public Struct getBucketPolicy(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Policy", call.operation());
    }

    @AwsOperation("GetBucketPolicyStatus")
    public Struct getBucketPolicyStatus(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Object stored = b.configs.get("Policy");
        String policy = stored instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : stored instanceof String text ? text : null;
        if (policy == null) {
            throw new AwsException("NoSuchBucketPolicy", "The bucket policy does not exist", 404)
                    .withFields(Struct.of("BucketName", b.name));
        }
        return Struct.of("PolicyStatus", Struct.of("IsPublic", BucketPolicies.isPublic(policy)));
    }

    @AwsOperation("DeleteBucketPolicy")
    public Struct deleteBucketPolicy(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "Policy");
        return null;
    }

    @AwsOperation("PutBucketTagging")
    public Struct putBucketTagging(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        ObjectTags.fromTagSet(in.struct("Tagging") == null ? null : in.struct("Tagging").structs("TagSet"), 50);
        BucketConfigs.put(b, "Tagging", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketTagging")
    public Struct getBucketTagging(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Tagging", call.operation());
    }

    @AwsOperation("DeleteBucketTagging")
    public Struct deleteBucketTagging(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "Tagging");
        return null;
    }

    @AwsOperation("PutBucketWebsite")
    public Struct putBucketWebsite(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketConfigs.put(b, "Website", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketWebsite")
    public Struct getBucketWebsite(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Website", call.operation());
    }

    @AwsOperation("DeleteBucketWebsite")
    public Struct deleteBucketWebsite(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "Website");
        return null;
    }

    @AwsOperation("PutBucketEncryption")
    public Struct putBucketEncryption(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketConfigs.put(b, BucketConfigs.ENCRYPTION, call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketEncryption")
    public Struct getBucketEncryption(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), BucketConfigs.ENCRYPTION, call.operation());
    }

    @AwsOperation("DeleteBucketEncryption")
    public Struct deleteBucketEncryption(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), BucketConfigs.ENCRYPTION);
        return null;
    }

    @AwsOperation("PutPublicAccessBlock")
    public Struct putPublicAccessBlock(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketConfigs.put(b, "PublicAccessBlock", call.operation(), in);
        return null;
    }

    @AwsOperation("GetPublicAccessBlock")
    public Struct getPublicAccessBlock(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "PublicAccessBlock", call.operation());
    }

    @AwsOperation("DeletePublicAccessBlock")
    public Struct deletePublicAccessBlock(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "PublicAccessBlock");
        return null;
    }

    @AwsOperation("PutBucketOwnershipControls")
    public Struct putBucketOwnershipControls(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketConfigs.put(b, "OwnershipControls", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketOwnershipControls")
    public Struct getBucketOwnershipControls(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "OwnershipControls", call.operation());
    }

    @AwsOperation("DeleteBucketOwnershipControls")
    public Struct deleteBucketOwnershipControls(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "OwnershipControls");
        return null;
    }

    @AwsOperation("PutBucketReplication")
    public Struct putBucketReplication(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        if (!b.versioningEnabled()) {
            throw S3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        }
        Replication.validate(in.struct("ReplicationConfiguration"), s3.buckets);
        BucketConfigs.put(b, Replication.CONFIG, call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketReplication")
    public Struct getBucketReplication(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Replication", call.operation());
    }

    @AwsOperation("DeleteBucketReplication")
    public Struct deleteBucketReplication(Call call, Struct in) {
        BucketConfigs.delete(s3.bucket(call, in), "Replication");
        return null;
    }

    @AwsOperation("PutObjectLockConfiguration")
    public Struct putObjectLockConfiguration(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        lockConfiguration(b, in);
        BucketConfigs.put(b, ObjectLocks.CONFIG, call.operation(), in);
        return null;
    }

    @AwsOperation("GetObjectLockConfiguration")
    public Struct getObjectLockConfiguration(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), ObjectLocks.CONFIG, call.operation());
    }

    @AwsOperation("PutBucketLogging")
    public Struct putBucketLogging(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketConfigs.put(b, "Logging", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketLogging")
    public Struct getBucketLogging(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Logging", call.operation());
    }

    @AwsOperation("PutBucketNotificationConfiguration")
    public Struct putBucketNotificationConfiguration(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Struct config = in.struct("NotificationConfiguration");
        Notifications.validate(config);
        if (!in.bool("SkipDestinationValidation", false)) {
            checkDestinations(b, config);
        }
        Notifications.assignIds(config);
        BucketConfigs.put(b, Notifications.CONFIG, call.operation(), in);
        if (!in.bool("SkipDestinationValidation", false)) {
            s3.notifications.testEvent(b, config, call.requestId(), call.receivedAt());
        }
        return null;
    }

    /**
     * S3's checks before it stores a configuration: each SQS destination must exist, and each Lambda destination
     * must exist with a resource policy that lets s3.amazonaws.com invoke it for this bucket (aws:SourceArn) and
     * its owner (aws:SourceAccount). Every failing destination is listed, numbered across kinds, queues first.
     */
    void checkDestinations(Bucket b, Struct config) {
        Struct failures = new Struct();
        int n = 0;
        List<Struct> queues = config == null ? null : config.structs("QueueConfigurations");
        if (queues != null && !queues.isEmpty()) {
            SqsService sqs = s3.context.peers().find("sqs", SqsService.class);
            for (Struct q : queues) {
                String arn = q.string("QueueArn");
                if (sqs == null || !sqs.hasQueue(arn)) {
                    n++;
                    failures.put("ArgumentName" + n, arn);
                    failures.put("ArgumentValue" + n, "The destination queue does not exist");
                }
            }
        }
        List<Struct> functions = config == null ? null : config.structs("LambdaFunctionConfigurations");
        if (functions != null && !functions.isEmpty()) {
            LambdaService lambda = s3.context.peers().find("lambda", LambdaService.class);
            for (Struct f : functions) {
                String arn = f.string("LambdaFunctionArn");
                if (lambda == null || !lambda.allowsServiceInvoke(arn, "s3.amazonaws.com", "arn:aws:s3:::" + b.name,
                        b.account)) {
                    n++;
                    // AWS names the function as "<arn>, null"
                    failures.put("ArgumentName" + n, arn + ", null");
                    failures.put("ArgumentValue" + n, "Not authorized to invoke function [" + arn + "]");
                }
            }
        }
        if (n > 0) {
            throw new AwsException("InvalidArgument", "Unable to validate the following destination configurations",
                    400).withFields(failures);
        }
    }

    @AwsOperation("GetBucketNotificationConfiguration")
    public Struct getBucketNotificationConfiguration(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Notification", call.operation());
    }

    /** ABAC (tag-based access control) for the bucket: Enabled or Disabled, Disabled until set. */
    @AwsOperation("PutBucketAbac")
    public Struct putBucketAbac(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Struct status = in.struct("AbacStatus");
        String value = status == null ? null : status.string("Status");
        if (value == null || !(value.equals("Enabled") || value.equals("Disabled"))) {
            throw S3Errors.malformedXml();
        }
        b.configs.put("Abac", status.copy());
        return null;
    }

    @AwsOperation("GetBucketAbac")
    public Struct getBucketAbac(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Object stored = b.configs.get("Abac");
        return Struct.of("AbacStatus", stored instanceof Struct s ? s.copy() : Struct.of("Status", "Disabled"));
    }

    @AwsOperation("PutBucketAccelerateConfiguration")
    public Struct putBucketAccelerateConfiguration(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketConfigs.put(b, "Accelerate", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketAccelerateConfiguration")
    public Struct getBucketAccelerateConfiguration(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "Accelerate", call.operation());
    }

    @AwsOperation("PutBucketRequestPayment")
    public Struct putBucketRequestPayment(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        BucketConfigs.put(b, "RequestPayment", call.operation(), in);
        return null;
    }

    @AwsOperation("GetBucketRequestPayment")
    public Struct getBucketRequestPayment(Call call, Struct in) {
        return BucketConfigs.get(s3.bucket(call, in), "RequestPayment", call.operation());
    }
}
