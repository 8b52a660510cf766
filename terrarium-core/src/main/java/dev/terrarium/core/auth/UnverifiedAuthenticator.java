package dev.terrarium.core.auth;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.ServiceInfo;

/**
 * Trusts the access key a request names without checking its signature (--no-verify-signatures):
 * a known key is its identity, an unknown one the root of its account, an unsigned request anonymous.
 */
public final class UnverifiedAuthenticator implements RequestAuthenticator {
    private final CredentialStore credentials;

    public UnverifiedAuthenticator(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public String scopeService(HttpRequest request) {
        String[] scope = scope(request);
        return scope == null ? null : scope[3];
    }

    @Override
    public String scopeRegion(HttpRequest request) {
        String[] scope = scope(request);
        return scope == null ? null : scope[2];
    }

    @Override
    public Identity authenticate(HttpRequest request, ServiceInfo service) {
        String[] scope = scope(request);
        if (scope == null) {
            return Identity.anonymous(credentials.defaultAccount());
        }
        Credential known = credentials.find(scope[0]);
        if (known != null) {
            return known.identity();
        }
        return Identity.root(credentials.accountForUnknownKey(scope[0]), scope[0]);
    }

    static String[] scope(HttpRequest request) {
        String credential = null;
        String auth = request.header("authorization");
        if (auth != null) {
            int i = auth.indexOf("Credential=");
            if (i >= 0) {
                int end = auth.indexOf(',', i);
                credential = auth.substring(i + "Credential=".length(), end < 0 ? auth.length() : end).trim();
            }
        } else {
            credential = request.queryParam("X-Amz-Credential");
        }
        if (credential == null) {
            return null;
        }
        String[] parts = credential.split("/");
        return parts.length == 5 ? parts : null;
    }
}
