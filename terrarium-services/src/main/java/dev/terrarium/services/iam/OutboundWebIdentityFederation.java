package dev.terrarium.services.iam;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/** Outbound web identity federation (JWTs that STS GetWebIdentityToken signs). */
final class OutboundWebIdentityFederation {
    private final IamSupport iam;

    OutboundWebIdentityFederation(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("EnableOutboundWebIdentityFederation")
    public Struct enableOutboundWebIdentityFederation(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            if (a.outboundFederation != null && a.outboundFederation.enabled) {
                throw new AwsException("FeatureEnabledException", "Outbound web identity federation is already enabled for this account.");
            }
            if (a.outboundFederation == null) {
                a.outboundFederation = new OutboundFederation();
            }
            a.outboundFederation.enabled = true;
            return Struct.of("IssuerIdentifier", a.outboundFederation.issuer());
        }
    }

    @AwsOperation("DisableOutboundWebIdentityFederation")
    public Struct disableOutboundWebIdentityFederation(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireOutboundFederation(a).enabled = false;
            return Struct.empty();
        }
    }

    @AwsOperation("GetOutboundWebIdentityFederationInfo")
    public Struct getOutboundWebIdentityFederationInfo(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return Struct.of("IssuerIdentifier", requireOutboundFederation(a).issuer(), "JwtVendingEnabled", true);
        }
    }

    private static OutboundFederation requireOutboundFederation(IamAccount a) {
        if (a.outboundFederation == null || !a.outboundFederation.enabled) {
            throw new AwsException("FeatureDisabledException", "Outbound web identity federation is disabled for this account.");
        }
        return a.outboundFederation;
    }
}
