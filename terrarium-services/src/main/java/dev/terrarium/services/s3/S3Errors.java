package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/** S3's errors with AWS's codes, statuses, messages and extra fields. */
final class S3Errors {
    private S3Errors() {}

    static AwsException noSuchBucket(String bucket) {
        return new AwsException("NoSuchBucket", "The specified bucket does not exist", 404)
                .withFields(Struct.of("BucketName", bucket));
    }

    static AwsException noSuchKey(String key) {
        return new AwsException("NoSuchKey", "The specified key does not exist.", 404)
                .withFields(Struct.of("Key", key));
    }

    static AwsException noSuchVersion(String key, String versionId) {
        return new AwsException("NoSuchVersion", "The specified version does not exist.", 404)
                .withFields(Struct.of("Key", key, "VersionId", versionId));
    }

    static AwsException noSuchUpload(String uploadId) {
        return new AwsException("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, "
                + "or the upload may have been aborted or completed.", 404).withFields(Struct.of("UploadId", uploadId));
    }

    static AwsException invalidArgument(String message, String name, String value) {
        return new AwsException("InvalidArgument", message, 400)
                .withFields(Struct.of("ArgumentName", name, "ArgumentValue", value));
    }

    static AwsException invalidRequest(String message) {
        return new AwsException("InvalidRequest", message, 400);
    }

    static AwsException preconditionFailed(String condition) {
        return new AwsException("PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                412).withFields(Struct.of("Condition", condition));
    }

    static AwsException notModified() {
        return new AwsException("NotModified", "Not Modified", 304);
    }

    static AwsException malformedXml() {
        return new AwsException("MalformedXML", "The XML you provided was not well-formed or did not validate "
                + "against our published schema", 400);
    }

    static AwsException badDigest(String message) {
        return new AwsException("BadDigest", message, 400);
    }

    static AwsException methodNotAllowed(String method, String resourceType) {
        return new AwsException("MethodNotAllowed", "The specified method is not allowed against this resource.", 405)
                .withFields(Struct.of("Method", method, "ResourceType", resourceType));
    }

    static AwsException accessDenied(String message) {
        return new AwsException("AccessDenied", message == null ? "Access Denied" : message, 403);
    }

    static AwsException malformedPost(String detail) {
        return new AwsException("MalformedPOSTRequest", "The body of your POST request is not well-formed "
                + "multipart/form-data.", 400);
    }
}
