package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.services.s3.S3Service;

/** Reads a deployment package from Terrarium's S3 (Code.S3Bucket / S3Key / S3ObjectVersion), as Lambda does. */
final class S3Code {
    private S3Code() {
    }

    /** The object's bytes, read directly from the S3 service of the same server (s3 is null when it has none). */
    static byte[] fetch(S3Service s3, String bucket, String key, String version) {
        if (bucket == null || key == null) {
            throw LambdaErrors.invalid("Please provide a source for function code: ZipFile, or S3Bucket and S3Key.");
        }
        if (s3 == null) {
            throw LambdaErrors.invalid("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: "
                    + "The specified bucket does not exist");
        }
        try {
            return s3.readObject(bucket, key, version);
        } catch (AwsException e) {
            throw LambdaErrors.invalid("Error occurred while GetObject. S3 Error Code: " + e.code()
                    + ". S3 Error Message: " + e.getMessage());
        }
    }
}
