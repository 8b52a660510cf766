package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.terrarium.services.iam.IamSupport.*;

/** Server certificates: upload, update, tags. */
final class ServerCertificates {
    private final IamSupport iam;

    ServerCertificates(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("UploadServerCertificate")
    public Struct uploadServerCertificate(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String name = in.string("ServerCertificateName");
            if (a.serverCertificates.containsKey(name)) {
                throw exists("The Server Certificate with name " + name + " already exists.");
            }
            String body = in.string("CertificateBody");
            if (!body.contains("-----BEGIN CERTIFICATE-----")) {
                throw new AwsException("MalformedCertificateException", "Certificate body is invalid");
            }
            if (!in.string("PrivateKey").contains("PRIVATE KEY-----")) {
                throw new AwsException("MalformedCertificateException", "Private key is invalid");
            }
            String path = in.string("Path", "/");
            Principals.ServerCertificate c = new Principals.ServerCertificate(name, IamIds.of("ASCA"),
                    a.arn("server-certificate", path, name), path, body, in.string("CertificateChain"), iam.now(),
                    iam.now().plus(365, ChronoUnit.DAYS));
            a.serverCertificates.put(name, c);
            return Struct.of("ServerCertificateMetadata", certMetadata(c));
        }
    }

    @AwsOperation("GetServerCertificate")
    public Struct getServerCertificate(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ServerCertificate c = requireCert(a, in.string("ServerCertificateName"));
            return Struct.of("ServerCertificate", Struct.of("ServerCertificateMetadata", certMetadata(c),
                    "CertificateBody", c.body(), "CertificateChain", c.chain()));
        }
    }

    @AwsOperation("ListServerCertificates")
    public Struct listServerCertificates(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return page(in, filterPath(a.serverCertificates.values(), c -> c.path(), in.string("PathPrefix")),
                    c -> c.name(), "ServerCertificateMetadataList", this::certMetadata);
        }
    }

    @AwsOperation("DeleteServerCertificate")
    public Struct deleteServerCertificate(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            a.serverCertificates.remove(requireCert(a, in.string("ServerCertificateName")).name());
            return Struct.empty();
        }
    }

    private Struct certMetadata(Principals.ServerCertificate c) {
        return Struct.of("Path", c.path(), "ServerCertificateName", c.name(), "ServerCertificateId", c.id(), "Arn", c.arn(),
                "UploadDate", c.uploaded(), "Expiration", c.expiration());
    }

    @AwsOperation("TagServerCertificate")
    public Struct tagServerCertificate(Call call, Struct in) {
        return iam.tag(call, in, a -> serverCertificateTags(a, in));
    }

    @AwsOperation("UntagServerCertificate")
    public Struct untagServerCertificate(Call call, Struct in) {
        return iam.untag(call, in, a -> serverCertificateTags(a, in));
    }

    @AwsOperation("ListServerCertificateTags")
    public Struct listServerCertificateTags(Call call, Struct in) {
        return iam.listTags(call, in, a -> serverCertificateTags(a, in));
    }

    private static Map<String, String> serverCertificateTags(IamAccount a, Struct in) {
        Principals.ServerCertificate c = requireCert(a, in.string("ServerCertificateName"));
        return a.resourceTags.computeIfAbsent(c.arn(), k -> new LinkedHashMap<>());
    }

    @AwsOperation("UpdateServerCertificate")
    public Struct updateServerCertificate(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ServerCertificate c = requireCert(a, in.string("ServerCertificateName"));
            String name = in.string("NewServerCertificateName", c.name());
            String path = in.string("NewPath", c.path());
            if (!name.equalsIgnoreCase(c.name()) && a.serverCertificates.containsKey(name)) {
                throw exists("The Server Certificate with name " + name + " already exists.");
            }
            Principals.ServerCertificate renamed = new Principals.ServerCertificate(name, c.id(),
                    a.arn("server-certificate", path, name), path, c.body(), c.chain(), c.uploaded(), c.expiration());
            a.serverCertificates.remove(c.name());
            a.serverCertificates.put(name, renamed);
            Map<String, String> tags = a.resourceTags.remove(c.arn());
            if (tags != null) {
                a.resourceTags.put(renamed.arn(), tags);
            }
            return Struct.empty();
        }
    }

    static Principals.ServerCertificate requireCert(IamAccount a, String name) {
        Principals.ServerCertificate c = a.serverCertificates.get(name);
        if (c == null) {
            throw noSuch("The Server Certificate with name " + name + " cannot be found.");
        }
        return c;
    }
}
