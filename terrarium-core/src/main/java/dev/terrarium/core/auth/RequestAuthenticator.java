package dev.terrarium.core.auth;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.ServiceInfo;

/** Decides who sent a request, or refuses it with the AWS error (an AwsException). */
public interface RequestAuthenticator {
    /** The signing service name of the request's credential scope, or null when unsigned (routing uses it). */
    String scopeService(HttpRequest request);

    /** The region of the request's credential scope, or null when unsigned. */
    String scopeRegion(HttpRequest request);

    /** anonymousAllowed: the operation's model says it needs no signature (authtype none). */
    Identity authenticate(HttpRequest request, ServiceInfo service, boolean anonymousAllowed);
}
