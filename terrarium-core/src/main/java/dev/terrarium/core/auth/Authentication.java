package dev.terrarium.core.auth;

/**
 * The outcome of authenticating a request.
 *
 * @param identity    who made the request (anonymous when unsigned)
 * @param signed      the signature parameters, or null when unsigned (or unparseable with verification off)
 * @param verified    true when the signature was checked against a known secret
 * @param chunkedBody the aws-chunked decoder now installed as the request body, or null; its
 *                    {@link AwsChunkedInputStream#trailers()} are complete once the body was read
 */
public record Authentication(Identity identity, SignedRequest signed, boolean verified,
                             AwsChunkedInputStream chunkedBody) {

    /** The credential scope's region, or null when unsigned. */
    public String region() { return signed == null ? null : signed.region(); }
}
