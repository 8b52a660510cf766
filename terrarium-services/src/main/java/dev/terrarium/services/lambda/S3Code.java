package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.auth.CanonicalRequest;
import dev.terrarium.services.s3.S3Service;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a deployment package from Terrarium's S3 (Code.S3Bucket / S3Key / S3ObjectVersion), as Lambda does. */
final class S3Code {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
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

    /**
     * The object's bytes over a signed HTTP call to the server's own endpoint.
     * @deprecated kept only for callers not yet moved to {@link #fetch(S3Service, String, String, String)}
     * (the layers code of the lambda-runtimes branch); remove it, and SignedHttp, once none is left.
     */
    @Deprecated
    static byte[] fetch(SignedHttp s3, String bucket, String key, String version) {
        if (bucket == null || key == null) {
            throw LambdaErrors.invalid("Please provide a source for function code: ZipFile, or S3Bucket and S3Key.");
        }
        HttpResponse<byte[]> r;
        try {
            r = s3.send("s3", "GET", "/" + CanonicalRequest.encode(bucket, false) + "/" + CanonicalRequest.encode(key, true),
                    version == null ? null : "versionId=" + CanonicalRequest.encode(version, false), Map.of(), new byte[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LambdaErrors.invalid("Error occurred while GetObject: interrupted");
        } catch (Exception e) {
            throw LambdaErrors.invalid("Error occurred while GetObject: " + e.getMessage());
        }
        if (r.statusCode() != 200) {
            String body = new String(r.body(), StandardCharsets.UTF_8);
            Matcher code = CODE.matcher(body);
            Matcher message = MESSAGE.matcher(body);
            throw LambdaErrors.invalid("Error occurred while GetObject. S3 Error Code: "
                    + (code.find() ? code.group(1) : Integer.toString(r.statusCode())) + ". S3 Error Message: "
                    + (message.find() ? message.group(1) : "status " + r.statusCode()));
        }
        return r.body();
    }
}
