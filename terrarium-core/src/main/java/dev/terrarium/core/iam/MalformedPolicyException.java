package dev.terrarium.core.iam;

/** A policy document AWS would refuse, with the message IAM gives for it (MalformedPolicyDocument). */
public final class MalformedPolicyException extends RuntimeException {
    public MalformedPolicyException(String message) {
        super(message, null, false, false);
    }
}
