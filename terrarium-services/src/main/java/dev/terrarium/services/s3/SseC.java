package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.security.MessageDigest;
import java.util.Base64;

/** SSE-C: the customer's key is checked on write and required (by its MD5) on every read. */
final class SseC {
    private SseC() {}

    static void checkWrite(Struct in) {
        String algorithm = in.string("SSECustomerAlgorithm");
        String key = in.string("SSECustomerKey");
        if (algorithm == null && key == null) {
            return;
        }
        if (!"AES256".equals(algorithm)) {
            throw S3Errors.invalidArgument("The encryption algorithm specified is not valid",
                    "x-amz-server-side-encryption-customer-algorithm", algorithm);
        }
        byte[] raw = decode(key);
        if (raw == null || raw.length != 32) {
            throw S3Errors.invalidArgument("The secret key was invalid for the specified algorithm.",
                    "x-amz-server-side-encryption-customer-key", null);
        }
        String md5 = Base64.getEncoder().encodeToString(BlobStore.md5().digest(raw));
        String given = in.string("SSECustomerKeyMD5");
        if (given != null && !given.equals(md5)) {
            throw S3Errors.invalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.",
                    "x-amz-server-side-encryption-customer-key-MD5", given);
        }
    }

    /** A read of an SSE-C object must present the same key; prefix "" or "CopySource". */
    static void checkRead(S3Object o, Struct in, String prefix) {
        String stored = o.meta.encryption().string("SSECustomerKeyMD5");
        String key = in.string(prefix + "SSECustomerKey");
        if (stored == null) {
            if (key != null && prefix.isEmpty()) {
                throw S3Errors.invalidRequest("The encryption parameters are not applicable to this object.");
            }
            return;
        }
        byte[] raw = decode(key);
        if (raw == null) {
            throw S3Errors.invalidRequest("The object was stored using a form of Server Side Encryption. The correct "
                    + "parameters must be provided to retrieve the object.");
        }
        String md5 = Base64.getEncoder().encodeToString(BlobStore.md5().digest(raw));
        if (!MessageDigest.isEqual(md5.getBytes(), stored.getBytes())) {
            throw S3Errors.accessDenied("Requests specifying Server Side Encryption with Customer provided keys must "
                    + "provide the correct secret key.");
        }
    }

    private static byte[] decode(String key) {
        if (key == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
