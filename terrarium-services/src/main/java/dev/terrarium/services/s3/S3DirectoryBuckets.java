package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.List;

/**
 * The operations of directory buckets (S3 Express One Zone), as a setup of general purpose buckets answers
 * them: no directory bucket is listed, and a session or a rename on a general purpose bucket is refused.
 */
final class S3DirectoryBuckets {
    private final S3State s3;

    S3DirectoryBuckets(S3State s3) {
        this.s3 = s3;
    }

    @AwsOperation("ListDirectoryBuckets")
    public Struct listDirectoryBuckets(Call call, Struct in) {
        Integer max = in.integer("MaxDirectoryBuckets");
        if (max != null && (max < 0 || max > 1000)) {
            throw S3Errors.invalidArgument("Argument max-directory-buckets must be an integer between 0 and 1000",
                    "max-directory-buckets", max.toString());
        }
        return Struct.of("Buckets", List.of());
    }

    @AwsOperation("CreateSession")
    public Struct createSession(Call call, Struct in) {
        s3.bucket(call, in);
        throw notADirectoryBucket("CreateSession");
    }

    @AwsOperation("RenameObject")
    public Struct renameObject(Call call, Struct in) {
        s3.bucket(call, in);
        throw notADirectoryBucket("RenameObject");
    }

    private static AwsException notADirectoryBucket(String operation) {
        return new AwsException("InvalidRequest", operation + " is only supported for directory buckets; this is a "
                + "general purpose bucket.", 400);
    }
}
