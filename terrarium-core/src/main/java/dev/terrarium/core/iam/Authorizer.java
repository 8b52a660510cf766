package dev.terrarium.core.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/**
 * Decides whether a parsed request may proceed (the IAM service provides one when --enforce-iam is
 * on). It may throw a service error of its own (a role that cannot be assumed for that long...).
 */
public interface Authorizer {

    /** The decision for this call, or null when the request is not subject to IAM (root, admin...). */
    Decision authorize(Call call, Struct input);

    /** The encoded authorization message for a denial (decodable by STS DecodeAuthorizationMessage), or null. */
    default String encode(Decision decision) {
        return null;
    }
}
