package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Struct;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS returns and the SDKs verify: of the body (its UTF-8 bytes), and of message
 * (or system) attributes with AWS's encoding: for each attribute in name order, the name, the data
 * type and the value, each as a 4-byte big-endian length and bytes, with a transport byte before
 * the value (1 string, 2 binary, 3 string list, 4 binary list).
 */
final class Md5 {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Md5() {
    }

    static String ofBody(String body) {
        return hex(digest().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The digest of attributes, or null when there are none (SQS then omits the MD5). */
    static String ofAttributes(Map<String, Struct> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        MessageDigest md = digest();
        for (Map.Entry<String, Struct> e : new TreeMap<>(attributes).entrySet()) {
            Struct v = e.getValue();
            lengthPrefixed(md, e.getKey().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(md, v.string("DataType", "").getBytes(StandardCharsets.UTF_8));
            if (v.string("StringValue") != null) {
                md.update((byte) 1);
                lengthPrefixed(md, v.string("StringValue").getBytes(StandardCharsets.UTF_8));
            } else if (v.blob("BinaryValue") != null) {
                md.update((byte) 2);
                lengthPrefixed(md, v.blob("BinaryValue"));
            } else if (v.strings("StringListValues") != null && !v.strings("StringListValues").isEmpty()) {
                md.update((byte) 3);
                for (String s : v.strings("StringListValues")) {
                    lengthPrefixed(md, s.getBytes(StandardCharsets.UTF_8));
                }
            } else if (v.list("BinaryListValues") != null && !v.list("BinaryListValues").isEmpty()) {
                md.update((byte) 4);
                for (Object b : (List<?>) v.list("BinaryListValues")) {
                    lengthPrefixed(md, (byte[]) b);
                }
            }
        }
        return hex(md.digest());
    }

    private static void lengthPrefixed(MessageDigest md, byte[] bytes) {
        md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md.update(bytes);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
