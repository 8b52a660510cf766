package dev.terrarium.core.auth;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.service.Config;

/**
 * The {@link RequestAuthenticator} that verifies SigV4 with {@link SigV4Verifier}: the S3 dialect for
 * services signing as S3, the standard one for the rest. With verifySignatures off it trusts the key a
 * request names (but still decodes aws-chunked bodies).
 */
public final class SigV4Authenticator implements RequestAuthenticator {
    private final SigV4Verifier verifier;

    public SigV4Authenticator(SigV4Verifier verifier) {
        this.verifier = verifier;
    }

    public SigV4Authenticator(CredentialStore credentials, Clock clock, Config config) {
        this(new SigV4Verifier(credentials, clock, config));
    }

    @Override
    public String scopeService(HttpRequest request) {
        CredentialScope scope = CredentialScope.of(request);
        return scope == null ? null : scope.service();
    }

    @Override
    public String scopeRegion(HttpRequest request) {
        CredentialScope scope = CredentialScope.of(request);
        return scope == null ? null : scope.region();
    }

    @Override
    public Identity authenticate(HttpRequest request, ServiceInfo service, boolean anonymousAllowed) {
        return verifier.authenticate(request, SigningDialect.forSigningName(service.signingName()), anonymousAllowed)
                .identity();
    }

    public SigV4Verifier verifier() { return verifier; }
}
