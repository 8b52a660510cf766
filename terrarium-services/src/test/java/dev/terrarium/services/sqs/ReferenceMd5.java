package dev.terrarium.services.sqs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** An independent, literal transcription of AWS's MD5OfMessageAttributes for one string attribute. */
final class ReferenceMd5 {
    private ReferenceMd5() {
    }

    static String of(String name, String type, String value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String part : new String[] {name, type}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                out.write(ByteBuffer.allocate(4).putInt(b.length).array());
                out.write(b);
            }
            out.write(1);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.write(ByteBuffer.allocate(4).putInt(v.length).array());
            out.write(v);
            StringBuilder hex = new StringBuilder();
            for (byte x : MessageDigest.getInstance("MD5").digest(out.toByteArray())) {
                hex.append(String.format("%02x", x));
            }
            return hex.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
