package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.terrarium.services.iam.IamSupport.*;

/** OpenID Connect and SAML providers. */
final class IdentityProviders {
    private final IamSupport iam;

    IdentityProviders(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreateOpenIDConnectProvider")
    public Struct createOpenIdConnectProvider(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String url = in.string("Url");
            if (!url.startsWith("https://")) {
                throw new AwsException("InvalidInputException", "Invalid Open ID Connect Provider URL");
            }
            String arn = "arn:aws:iam::" + a.id + ":oidc-provider/" + url.substring("https://".length());
            if (a.oidcProviders.containsKey(arn)) {
                throw exists("Provider with url " + url + " already exists.");
            }
            a.oidcProviders.put(arn, new Principals.OidcProvider(arn, url.substring(8),
                    in.strings("ClientIDList") == null ? List.of() : List.copyOf(in.strings("ClientIDList")),
                    in.strings("ThumbprintList") == null ? List.of() : List.copyOf(in.strings("ThumbprintList")), iam.now(), tags(in)));
            return Struct.of("OpenIDConnectProviderArn", arn, "Tags", tagList(tags(in)));
        }
    }

    @AwsOperation("GetOpenIDConnectProvider")
    public Struct getOpenIdConnectProvider(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.OidcProvider p = a.oidcProviders.get(in.string("OpenIDConnectProviderArn"));
            if (p == null) {
                throw noSuch("OpenIDConnect Provider not found for arn " + in.string("OpenIDConnectProviderArn"));
            }
            return Struct.of("Url", p.url(), "ClientIDList", new ArrayList<Object>(p.clientIds()),
                    "ThumbprintList", new ArrayList<Object>(p.thumbprints()), "CreateDate", p.created(), "Tags", tagList(p.tags()));
        }
    }

    @AwsOperation("ListOpenIDConnectProviders")
    public Struct listOpenIdConnectProviders(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            List<Object> out = new ArrayList<>();
            a.oidcProviders.keySet().forEach(arn -> out.add(Struct.of("Arn", arn)));
            return Struct.of("OpenIDConnectProviderList", out);
        }
    }

    @AwsOperation("DeleteOpenIDConnectProvider")
    public Struct deleteOpenIdConnectProvider(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            if (a.oidcProviders.remove(in.string("OpenIDConnectProviderArn")) == null) {
                throw noSuch("OpenIDConnect Provider not found for arn " + in.string("OpenIDConnectProviderArn"));
            }
            return Struct.empty();
        }
    }

    @AwsOperation("CreateSAMLProvider")
    public Struct createSamlProvider(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String arn = "arn:aws:iam::" + a.id + ":saml-provider/" + in.string("Name");
            if (a.samlProviders.containsKey(arn)) {
                throw exists("SAMLProvider " + in.string("Name") + " already exists.");
            }
            String metadata = in.string("SAMLMetadataDocument");
            if (!metadata.contains("EntityDescriptor")) {
                throw new AwsException("InvalidInputException", "Could not parse metadata");
            }
            a.samlProviders.put(arn, new Principals.SamlProvider(arn, metadata, iam.now(), iam.now().plus(3650, ChronoUnit.DAYS), tags(in)));
            return Struct.of("SAMLProviderArn", arn, "Tags", tagList(tags(in)));
        }
    }

    @AwsOperation("GetSAMLProvider")
    public Struct getSamlProvider(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.SamlProvider p = requireSamlProvider(a, in.string("SAMLProviderArn"));
            return Struct.of("SAMLMetadataDocument", p.metadata(), "CreateDate", p.created(), "ValidUntil", p.validUntil(),
                    "Tags", tagList(p.tags()));
        }
    }

    @AwsOperation("ListSAMLProviders")
    public Struct listSamlProviders(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            List<Object> out = new ArrayList<>();
            a.samlProviders.values().forEach(p -> out.add(Struct.of("Arn", p.arn(), "ValidUntil", p.validUntil(),
                    "CreateDate", p.created())));
            return Struct.of("SAMLProviderList", out);
        }
    }

    @AwsOperation("DeleteSAMLProvider")
    public Struct deleteSamlProvider(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            a.samlProviders.remove(requireSamlProvider(a, in.string("SAMLProviderArn")).arn());
            return Struct.empty();
        }
    }

    @AwsOperation("TagOpenIDConnectProvider")
    public Struct tagOpenIdConnectProvider(Call call, Struct in) {
        return iam.tag(call, in, a -> requireOidc(a, in).tags());
    }

    @AwsOperation("UntagOpenIDConnectProvider")
    public Struct untagOpenIdConnectProvider(Call call, Struct in) {
        return iam.untag(call, in, a -> requireOidc(a, in).tags());
    }

    @AwsOperation("ListOpenIDConnectProviderTags")
    public Struct listOpenIdConnectProviderTags(Call call, Struct in) {
        return iam.listTags(call, in, a -> requireOidc(a, in).tags());
    }

    @AwsOperation("TagSAMLProvider")
    public Struct tagSamlProvider(Call call, Struct in) {
        return iam.tag(call, in, a -> requireSamlProvider(a, in.string("SAMLProviderArn")).tags());
    }

    @AwsOperation("UntagSAMLProvider")
    public Struct untagSamlProvider(Call call, Struct in) {
        return iam.untag(call, in, a -> requireSamlProvider(a, in.string("SAMLProviderArn")).tags());
    }

    @AwsOperation("ListSAMLProviderTags")
    public Struct listSamlProviderTags(Call call, Struct in) {
        return iam.listTags(call, in, a -> requireSamlProvider(a, in.string("SAMLProviderArn")).tags());
    }

    @AwsOperation("AddClientIDToOpenIDConnectProvider")
    public Struct addClientIdToOpenIdConnectProvider(Call call, Struct in) {
        return updateOidc(call, in, p -> {
            List<String> ids = new ArrayList<>(p.clientIds());
            if (!ids.contains(in.string("ClientID"))) {
                ids.add(in.string("ClientID"));
            }
            return new Principals.OidcProvider(p.arn(), p.url(), List.copyOf(ids), p.thumbprints(), p.created(), p.tags());
        });
    }

    @AwsOperation("RemoveClientIDFromOpenIDConnectProvider")
    public Struct removeClientIdFromOpenIdConnectProvider(Call call, Struct in) {
        return updateOidc(call, in, p -> {
            List<String> ids = new ArrayList<>(p.clientIds());
            ids.remove(in.string("ClientID"));
            return new Principals.OidcProvider(p.arn(), p.url(), List.copyOf(ids), p.thumbprints(), p.created(), p.tags());
        });
    }

    @AwsOperation("UpdateOpenIDConnectProviderThumbprint")
    public Struct updateOpenIdConnectProviderThumbprint(Call call, Struct in) {
        return updateOidc(call, in, p -> new Principals.OidcProvider(p.arn(), p.url(), p.clientIds(),
                List.copyOf(in.strings("ThumbprintList")), p.created(), p.tags()));
    }

    private Struct updateOidc(Call call, Struct in, Function<Principals.OidcProvider, Principals.OidcProvider> change) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.OidcProvider updated = change.apply(requireOidc(a, in));
            a.oidcProviders.put(updated.arn(), updated);
            return Struct.empty();
        }
    }

    private static Principals.OidcProvider requireOidc(IamAccount a, Struct in) {
        Principals.OidcProvider p = a.oidcProviders.get(in.string("OpenIDConnectProviderArn"));
        if (p == null) {
            throw noSuch("OpenIDConnect Provider not found for arn " + in.string("OpenIDConnectProviderArn"));
        }
        return p;
    }

    static Principals.SamlProvider requireSamlProvider(IamAccount a, String arn) {
        Principals.SamlProvider p = arn == null ? null : a.samlProviders.get(arn);
        if (p == null) {
            throw noSuch("Manifest not found for arn " + arn);
        }
        return p;
    }

    @AwsOperation("UpdateSAMLProvider")
    public Struct updateSamlProvider(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.SamlProvider p = requireSamlProvider(a, in.string("SAMLProviderArn"));
            String metadata = in.string("SAMLMetadataDocument");
            if (metadata != null && !metadata.contains("EntityDescriptor")) {
                throw new AwsException("InvalidInputException", "Could not parse metadata");
            }
            a.samlProviders.put(p.arn(), new Principals.SamlProvider(p.arn(), metadata == null ? p.metadata() : metadata,
                    p.created(), p.validUntil(), p.tags()));
            return Struct.of("SAMLProviderArn", p.arn());
        }
    }
}
