package dev.terrarium.core.service;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A streaming blob payload (S3 objects, Lambda zips): read once, length -1 when unknown. */
public record StreamingBody(InputStream stream, long length, String contentType) {
    public static StreamingBody of(byte[] bytes) {
        return new StreamingBody(new ByteArrayInputStream(bytes), bytes.length, null);
    }
}
