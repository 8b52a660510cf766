package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.auth.SigV4Crypto;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Browser uploads (POST to a bucket, multipart/form-data): the fields before the file, the policy and its
 * SigV4 (or SigV2) signature, then the file streamed into the blob store.
 */
final class PostObject {
    private static final int MAX_FIELD = 20 * 1024;
    private static final Pattern TAG = Pattern.compile("<Tag>\\s*<Key>(.*?)</Key>\\s*<Value>(.*?)</Value>\\s*</Tag>",
            Pattern.DOTALL);

    /** A parsed, authorized upload: the object's input members, owner, the written content and response rules. */
    record Upload(String key, Struct input, String account, Blob blob, String successStatus, String redirect,
                  Map<String, String> tags) {
    }

    private final BlobStore blobs;
    private final CredentialStore credentials;
    private final Clock clock;

    PostObject(BlobStore blobs, CredentialStore credentials, Clock clock) {
        this.blobs = blobs;
        this.credentials = credentials;
        this.clock = clock;
    }

    static boolean isPost(HttpRequest request, String bucketName) {
        return request.method().equals("POST") && bucketName != null
                && FormParts.boundary(request.header("content-type")) != null;
    }

    Upload read(String bucket, HttpRequest request) {
        FormParts form = new FormParts(request.bodyStream(), FormParts.boundary(request.header("content-type")));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("bucket", bucket);
        FormParts.Part file = null;
        for (FormParts.Part p = form.next(); p != null; p = form.next()) {
            if (p.name().equalsIgnoreCase("file")) {
                file = p;
                break;
            }
            fields.put(p.name().toLowerCase(Locale.ROOT), FormParts.text(p, MAX_FIELD));
        }
        if (file == null) {
            throw S3Errors.invalidArgument("POST requires exactly one file upload per request.", "file", "0");
        }
        String key = fields.get("key");
        if (key == null) {
            throw S3Errors.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, "
                    + "please check the order of the fields.", "key", "");
        }
        String account = authorize(fields);
        PostPolicy policy = fields.containsKey("policy") ? PostPolicy.parse(fields.get("policy")) : null;
        if (policy != null) {
            policy.check(fields, clock.now());
        }
        if (file.filename() != null) {
            key = key.replace("${filename}", file.filename());
        }
        Blob blob = blobs.write(file.content(), java.util.EnumSet.noneOf(
                dev.terrarium.core.auth.Checksums.Algorithm.class));
        if (policy != null) {
            try {
                policy.checkSize(blob.size());
            } catch (AwsException e) {
                blobs.delete(blob);
                throw e;
            }
        }
        String contentType = fields.getOrDefault("content-type", file.contentType());
        Map<String, Object> meta = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (k.startsWith("x-amz-meta-")) {
                meta.put(k.substring(11), v);
            }
        });
        Struct input = Struct.of("ContentType", contentType, "CacheControl", fields.get("cache-control"),
                "ContentDisposition", fields.get("content-disposition"), "ContentEncoding", fields.get("content-encoding"),
                "StorageClass", fields.get("x-amz-storage-class"), "ACL", fields.get("acl"),
                "ServerSideEncryption", fields.get("x-amz-server-side-encryption"),
                "WebsiteRedirectLocation", fields.get("x-amz-website-redirect-location"),
                "Metadata", meta.isEmpty() ? null : meta);
        return new Upload(key, input, account, blob, fields.get("success_action_status"),
                fields.get("success_action_redirect"), tags(fields.get("tagging")));
    }

    /** Checks the policy's signature; returns the uploader's account (anonymous uploads: the default one). */
    private String authorize(Map<String, String> fields) {
        String policy = fields.get("policy");
        String v4 = fields.get("x-amz-signature");
        String v2 = fields.get("signature");
        if (v4 == null && v2 == null) {
            if (fields.containsKey("x-amz-credential") || fields.containsKey("awsaccesskeyid")) {
                throw S3Errors.invalidArgument("Bucket POST must contain a field named 'x-amz-signature'.  If it is "
                        + "specified, please check the order of the fields.", "x-amz-signature", "");
            }
            return credentials.defaultAccount();
        }
        if (policy == null) {
            throw S3Errors.invalidArgument("Bucket POST must contain a field named 'policy'.  If it is specified, "
                    + "please check the order of the fields.", "policy", "");
        }
        String accessKey;
        String expected;
        Credential known;
        if (v4 != null) {
            String[] scope = fields.getOrDefault("x-amz-credential", "").split("/");
            if (scope.length != 5 || !"AWS4-HMAC-SHA256".equals(fields.get("x-amz-algorithm"))) {
                throw S3Errors.invalidArgument("Invalid according to Policy: Policy Condition failed: "
                        + "[\"eq\", \"$x-amz-algorithm\", \"AWS4-HMAC-SHA256\"]", "x-amz-credential",
                        fields.get("x-amz-credential"));
            }
            accessKey = scope[0];
            known = credentials.find(accessKey);
            expected = known == null ? null : SigV4Crypto.signatureHex(
                    SigV4Crypto.signingKey(known.secretAccessKey(), scope[1], scope[2], scope[3]), policy);
        } else {
            accessKey = fields.get("awsaccesskeyid");
            known = credentials.find(accessKey);
            expected = known == null ? null : hmacSha1(known.secretAccessKey(), policy);
        }
        if (known == null) {
            return credentials.accountForUnknownKey(accessKey); // keys never issued are accepted unverified
        }
        String given = v4 != null ? v4 : v2;
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new AwsException("SignatureDoesNotMatch", "The request signature we calculated does not match the "
                    + "signature you provided. Check your key and signing method.", 403)
                    .withFields(Struct.of("AWSAccessKeyId", accessKey));
        }
        if (known.expiredAt(clock.now())) {
            throw new AwsException("ExpiredToken", "The provided token has expired.", 400);
        }
        return known.identity().accountId();
    }

    private static String hmacSha1(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> tags(String xml) {
        if (xml == null) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        Matcher m = TAG.matcher(xml);
        while (m.find()) {
            tags.put(m.group(1), m.group(2));
        }
        return tags;
    }
}
