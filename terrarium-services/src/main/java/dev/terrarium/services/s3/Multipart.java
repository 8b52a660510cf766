package dev.terrarium.services.s3;

/** Multipart upload rules (filled in with the multipart operations). */
final class Multipart {
    private final BlobStore blobs;

    Multipart(BlobStore blobs) {
        this.blobs = blobs;
    }
}
