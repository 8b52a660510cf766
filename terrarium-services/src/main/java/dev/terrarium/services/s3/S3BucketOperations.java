package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;

/** S3's bucket operations: create, head, delete, list, location, versioning and the bucket ACL. */
final class S3BucketOperations {
    private final S3State s3;

    S3BucketOperations(S3State s3) {
        this.s3 = s3;
    }

    @AwsOperation("CreateBucket")
    public Struct createBucket(Call call, Struct in) {
        Struct config = in.struct("CreateBucketConfiguration");
        if (config != null && (config.struct("Bucket") != null || config.struct("Location") != null)) {
            // a directory bucket (S3 Express One Zone: Bucket.Type Directory in an Availability or Local Zone)
            throw new AwsException("NotImplemented", "Directory buckets (S3 Express One Zone) are not supported by "
                    + "Terrarium; only general purpose buckets can be created", 501);
        }
        String constraint = config == null ? null : config.string("LocationConstraint");
        List<Struct> tags = config == null ? null : config.structs("Tags");
        ObjectTags.fromTagSet(tags, 50);
        Bucket b = s3.buckets.create(in.string("Bucket"), call.account(), call.region(), constraint, S3State.now(call));
        if (b != null) {
            if (in.bool("ObjectLockEnabledForBucket", false)) {
                b.objectLockEnabled = true;
                b.versioning = Bucket.ENABLED;
            }
            b.configs.put("OwnershipControls", Struct.of("Rules", List.of(Struct.of("ObjectOwnership",
                    in.string("ObjectOwnership", "BucketOwnerEnforced")))));
            b.configs.put("Acl", Acls.fromRequest(in, call.account()));
            if (tags != null && !tags.isEmpty()) {
                b.configs.put("Tagging", Struct.of("TagSet", new ArrayList<Object>(tags)));
            }
        }
        return Struct.of("Location", "/" + in.string("Bucket"));
    }

    @AwsOperation("HeadBucket")
    public Struct headBucket(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        return Struct.of("BucketRegion", b.region, "AccessPointAlias", false);
    }

    @AwsOperation("DeleteBucket")
    public Struct deleteBucket(Call call, Struct in) {
        s3.buckets.delete(s3.bucket(call, in));
        return null;
    }

    @AwsOperation("GetBucketLocation")
    public Struct getBucketLocation(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        return Struct.of("LocationConstraint", "us-east-1".equals(b.region) ? null : b.region);
    }

    @AwsOperation("ListBuckets")
    public Struct listBuckets(Call call, Struct in) {
        int max = in.integer("MaxBuckets", 10000);
        if (max < 1 || max > 10000) {
            throw S3Errors.invalidArgument("Argument max-buckets must be an integer between 1 and 10000",
                    "max-buckets", String.valueOf(max));
        }
        String after = Tokens.decode(in.string("ContinuationToken"), "continuation-token");
        String prefix = in.string("Prefix", "");
        String region = in.string("BucketRegion");
        List<Object> out = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (Bucket b : s3.buckets.owned(call.account())) {
            if ((after != null && b.name.compareTo(after) <= 0) || !b.name.startsWith(prefix)
                    || (region != null && !region.equals(b.region))) {
                continue;
            }
            if (out.size() == max) {
                more = true;
                break;
            }
            out.add(Struct.of("Name", b.name, "CreationDate", b.created, "BucketRegion", b.region,
                    "BucketArn", "arn:aws:s3:::" + b.name));
            last = b.name;
        }
        return Struct.of("Buckets", out, "Owner", Owners.owner(call.account()),
                "ContinuationToken", more ? Tokens.encode(last) : null, "Prefix", in.string("Prefix"));
    }

    // ---- versioning ----

    @AwsOperation("PutBucketVersioning")
    public Struct putBucketVersioning(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Struct config = in.struct("VersioningConfiguration");
        String status = config == null ? null : config.string("Status");
        if (status == null || !(status.equals(Bucket.ENABLED) || status.equals(Bucket.SUSPENDED))) {
            throw S3Errors.malformedXml();
        }
        if (status.equals(Bucket.SUSPENDED) && b.objectLockEnabled) {
            throw S3Errors.invalidRequest("An Object Lock configuration is present on this bucket, so the versioning "
                    + "state cannot be changed.");
        }
        if (config.string("MFADelete") != null) {
            b.mfaDelete = config.string("MFADelete");
        }
        if (status.equals(Bucket.SUSPENDED) && !b.everVersioned()) {
            b.versioning = Bucket.SUSPENDED;
            return null;
        }
        b.versioning = status;
        return null;
    }

    @AwsOperation("GetBucketVersioning")
    public Struct getBucketVersioning(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        return Struct.of("Status", b.versioning, "MFADelete", b.mfaDelete);
    }

    // ---- bucket ACL ----

    @AwsOperation("PutBucketAcl")
    public Struct putBucketAcl(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Acls.checkAllowed(b, in);
        b.configs.put("Acl", Acls.fromPut(in, b.account));
        return null;
    }

    @AwsOperation("GetBucketAcl")
    public Struct getBucketAcl(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Object acl = b.configs.get("Acl");
        return acl instanceof Struct s ? s.copy() : Acls.fromRequest(Struct.empty(), b.account);
    }
}
