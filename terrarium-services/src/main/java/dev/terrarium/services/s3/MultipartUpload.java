package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** An upload in progress: what CreateMultipartUpload said, and the parts so far by number. */
final class MultipartUpload {
    /** One uploaded part. */
    record Part(int number, Blob blob, String etag, Instant lastModified, String checksum) {
    }

    final String id;
    final String key;
    final Instant initiated;
    final String owner;
    final ObjectMeta meta;
    final String checksumAlgorithm;
    final String checksumType;
    final Map<String, String> tags;
    final Struct acl;
    final NavigableMap<Integer, Part> parts = new ConcurrentSkipListMap<>();
    /** The CreateMultipartUpload input (Object Lock settings apply at completion). */
    Struct request = new Struct();

    MultipartUpload(String id, String key, Instant initiated, String owner, ObjectMeta meta, String checksumAlgorithm,
                    String checksumType, Map<String, String> tags, Struct acl) {
        this.id = id;
        this.key = key;
        this.initiated = initiated;
        this.owner = owner;
        this.meta = meta;
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksumType = checksumType;
        this.tags = tags;
        this.acl = acl;
    }
}
