package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * SSE-KMS key ids as S3 reports them: the full key ARN, and the account's AWS managed key (aws/s3) when a
 * write asks for aws:kms without naming a key.
 */
final class KmsKeys {
    private KmsKeys() {}

    static boolean isKms(String sse) {
        return "aws:kms".equals(sse) || "aws:kms:dsse".equals(sse);
    }

    /** The encryption settings of a write with the key id S3 returns for them; checks that they agree. */
    static Struct normalize(Struct encryption, String region, String account) {
        String sse = encryption.string("ServerSideEncryption");
        String keyId = encryption.string("SSEKMSKeyId");
        if (!isKms(sse)) {
            if (keyId != null || encryption.get("SSEKMSEncryptionContext") != null) {
                throw S3Errors.invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header "
                        + "x-amz-server-side-encryption : aws:kms", "x-amz-server-side-encryption-aws-kms-key-id",
                        keyId == null ? "" : keyId);
            }
            return encryption;
        }
        Struct out = encryption.copy();
        out.put("SSEKMSKeyId", arn(keyId, region, account));
        return out;
    }

    static String arn(String keyId, String region, String account) {
        if (keyId == null || keyId.isEmpty()) {
            return "arn:aws:kms:" + region + ":" + account + ":key/" + managedKeyId(region, account);
        }
        if (keyId.startsWith("arn:")) {
            return keyId;
        }
        return "arn:aws:kms:" + region + ":" + account + ":" + (keyId.startsWith("alias/") ? keyId : "key/" + keyId);
    }

    /** The id of the account's aws/s3 key in a region: stable, so every object reports the same one. */
    static String managedKeyId(String region, String account) {
        return UUID.nameUUIDFromBytes(("aws/s3:" + region + ":" + account).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
