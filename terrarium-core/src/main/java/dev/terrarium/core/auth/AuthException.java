package dev.terrarium.core.auth;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/**
 * An authentication failure as AWS reports it: code, message, HTTP status and, for S3, the extra
 * elements of its error document (StringToSign, AWSAccessKeyId, ...) in {@link #fields()}. The
 * caller's protocol codec puts it on the wire like any other error.
 */
public final class AuthException extends AwsException {

    public AuthException(String code, String message, int status, Struct fields) {
        super(code, message, status, status < 500, fields);
    }

    public AuthException(String code, String message, int status) {
        this(code, message, status, null);
    }

    @Override
    public String toString() { return "AuthException[" + code() + " " + status() + ": " + getMessage() + "]"; }
}
