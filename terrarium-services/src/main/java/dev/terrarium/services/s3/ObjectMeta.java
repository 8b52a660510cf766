package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a write says about an object besides its bytes: Content-Type, the other system headers,
 * user metadata (x-amz-meta-*), storage class and server-side encryption settings.
 */
record ObjectMeta(String contentType, Map<String, String> systemHeaders, Map<String, String> userMetadata,
                  String storageClass, Struct encryption) {

    /** Input/output members that are stored and returned as they were sent. */
    static final List<String> SYSTEM_HEADERS = List.of("CacheControl", "ContentDisposition", "ContentEncoding",
            "ContentLanguage", "Expires", "WebsiteRedirectLocation");
    static final List<String> ENCRYPTION = List.of("ServerSideEncryption", "SSEKMSKeyId", "SSEKMSEncryptionContext",
            "BucketKeyEnabled", "SSECustomerAlgorithm", "SSECustomerKeyMD5");

    /** A write's metadata; encryption as requested, else the bucket's default, with KMS key ids as ARNs. */
    static ObjectMeta from(Struct in, Bucket bucket) {
        ObjectMeta meta = from(in, bucket.defaultEncryption());
        return meta.withEncryption(KmsKeys.normalize(meta.encryption(), bucket.region, bucket.account));
    }

    /** A write's metadata; encryption as requested, else the default given (KMS key ids as sent). */
    static ObjectMeta from(Struct in, Struct bucketDefaultEncryption) {
        Map<String, String> system = new LinkedHashMap<>();
        for (String name : SYSTEM_HEADERS) {
            String v = in.string(name);
            if (v != null) {
                system.put(name, v);
            }
        }
        Map<String, String> user = new LinkedHashMap<>();
        Map<String, Object> meta = in.map("Metadata");
        if (meta != null) {
            meta.forEach((k, v) -> user.put(k.toLowerCase(java.util.Locale.ROOT), String.valueOf(v)));
        }
        Struct encryption = new Struct();
        for (String name : ENCRYPTION) {
            encryption.put(name, in.get(name));
        }
        if (encryption.get("ServerSideEncryption") == null && encryption.get("SSECustomerAlgorithm") == null) {
            encryption = bucketDefaultEncryption.copy();
        }
        String contentType = in.string("ContentType");
        return new ObjectMeta(contentType == null ? "binary/octet-stream" : contentType, system, user,
                in.string("StorageClass", "STANDARD"), encryption);
    }

    ObjectMeta withEncryption(Struct newEncryption) {
        return new ObjectMeta(contentType, systemHeaders, userMetadata, storageClass, newEncryption);
    }

    ObjectMeta withStorageClass(String sc) {
        return new ObjectMeta(contentType, systemHeaders, userMetadata, sc == null ? storageClass : sc, encryption);
    }

    /** Writes the headers S3 returns on GET/HEAD/PUT into an output. */
    void writeTo(Struct out) {
        out.put("ContentType", contentType);
        systemHeaders.forEach(out::put);
        if (!userMetadata.isEmpty()) {
            out.put("Metadata", new LinkedHashMap<String, Object>(userMetadata));
        }
        if (!"STANDARD".equals(storageClass)) {
            out.put("StorageClass", storageClass);
        }
        encryption.asMap().forEach(out::put);
    }
}
