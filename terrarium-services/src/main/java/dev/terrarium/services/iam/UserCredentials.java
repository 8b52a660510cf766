package dev.terrarium.services.iam;

import dev.terrarium.core.auth.AccessKeys;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import static dev.terrarium.services.iam.IamSupport.*;

/** A user's other credentials: signing certificates, SSH public keys, service-specific credentials. */
final class UserCredentials {
    private final IamSupport iam;

    UserCredentials(IamSupport iam) {
        this.iam = iam;
    }

    private static final Set<String> CREDENTIAL_SERVICES = Set.of("codecommit.amazonaws.com", "cassandra.amazonaws.com",
            "bedrock.amazonaws.com");

    @AwsOperation("UploadSigningCertificate")
    public Struct uploadSigningCertificate(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            String body = in.string("CertificateBody");
            if (!body.contains("-----BEGIN CERTIFICATE-----") || !body.contains("-----END CERTIFICATE-----")) {
                throw new AwsException("MalformedCertificateException", "The certificate body is not in a valid PEM format.");
            }
            List<Principals.SigningCertificate> mine = a.signingCertificates.values().stream()
                    .filter(c -> c.userName.equals(u.name)).toList();
            if (mine.stream().anyMatch(c -> c.body.strip().equals(body.strip()))) {
                throw new AwsException("DuplicateCertificateException", "The certificate has already been uploaded.");
            }
            if (mine.size() >= 2) {
                throw new AwsException("LimitExceededException", "Cannot exceed quota for CertificatesPerUser: 2");
            }
            Principals.SigningCertificate c = new Principals.SigningCertificate(randomId("", 28), u.name, body, iam.now());
            a.signingCertificates.put(c.id, c);
            return Struct.of("Certificate", signingCertificate(c));
        }
    }

    @AwsOperation("ListSigningCertificates")
    public Struct listSigningCertificates(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            List<Principals.SigningCertificate> mine = a.signingCertificates.values().stream()
                    .filter(c -> c.userName.equals(u.name)).sorted((x, y) -> x.id.compareTo(y.id)).toList();
            return page(in, mine, c -> c.id, "Certificates", this::signingCertificate);
        }
    }

    @AwsOperation("UpdateSigningCertificate")
    public Struct updateSigningCertificate(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireSigningCertificate(a, call, in).status = status(in);
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteSigningCertificate")
    public Struct deleteSigningCertificate(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            a.signingCertificates.remove(requireSigningCertificate(a, call, in).id);
            return Struct.empty();
        }
    }

    private Principals.SigningCertificate requireSigningCertificate(IamAccount a, Call call, Struct in) {
        Principals.User u = requireUser(a, userOrCaller(call, in));
        Principals.SigningCertificate c = a.signingCertificates.get(in.string("CertificateId"));
        if (c == null || !c.userName.equals(u.name)) {
            throw noSuch("The Certificate with id " + in.string("CertificateId") + " cannot be found.");
        }
        return c;
    }

    private Struct signingCertificate(Principals.SigningCertificate c) {
        return Struct.of("UserName", c.userName, "CertificateId", c.id, "CertificateBody", c.body, "Status", c.status,
                "UploadDate", c.uploaded);
    }

    @AwsOperation("UploadSSHPublicKey")
    public Struct uploadSshPublicKey(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            String body = in.string("SSHPublicKeyBody").strip();
            byte[] blob = SshKeys.blob(body);
            if (blob == null) {
                throw new AwsException("InvalidPublicKeyException", "The public key is not a valid SSH-RSA, ED25519 or ECDSA key.");
            }
            List<Principals.SshPublicKey> mine = a.sshPublicKeys.values().stream().filter(k -> k.userName.equals(u.name)).toList();
            String fingerprint = SshKeys.fingerprint(blob);
            if (mine.stream().anyMatch(k -> k.fingerprint.equals(fingerprint))) {
                throw new AwsException("DuplicateSSHPublicKeyException", "The SSH public key has already been uploaded.");
            }
            if (mine.size() >= 5) {
                throw new AwsException("LimitExceededException", "Cannot exceed quota for PublicKeysPerUser: 5");
            }
            Principals.SshPublicKey k = new Principals.SshPublicKey(randomId("APKA", 16), u.name, body, fingerprint, iam.now());
            a.sshPublicKeys.put(k.id, k);
            return Struct.of("SSHPublicKey", sshKey(k, k.body));
        }
    }

    @AwsOperation("GetSSHPublicKey")
    public Struct getSshPublicKey(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.SshPublicKey k = requireSshKey(a, in);
            String body = k.body;
            if ("PEM".equals(in.string("Encoding"))) {
                body = SshKeys.pem(SshKeys.blob(k.body));
                if (body == null) {
                    throw new AwsException("UnrecognizedPublicKeyEncodingException",
                            "The public key encoding format is unsupported or unrecognized.");
                }
            }
            return Struct.of("SSHPublicKey", sshKey(k, body));
        }
    }

    @AwsOperation("ListSSHPublicKeys")
    public Struct listSshPublicKeys(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            List<Principals.SshPublicKey> mine = a.sshPublicKeys.values().stream().filter(k -> k.userName.equals(u.name))
                    .sorted((x, y) -> x.id.compareTo(y.id)).toList();
            return page(in, mine, k -> k.id, "SSHPublicKeys", k -> Struct.of("UserName", k.userName,
                    "SSHPublicKeyId", k.id, "Status", k.status, "UploadDate", k.uploaded));
        }
    }

    @AwsOperation("UpdateSSHPublicKey")
    public Struct updateSshPublicKey(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireSshKey(a, in).status = status(in);
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteSSHPublicKey")
    public Struct deleteSshPublicKey(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            a.sshPublicKeys.remove(requireSshKey(a, in).id);
            return Struct.empty();
        }
    }

    private Principals.SshPublicKey requireSshKey(IamAccount a, Struct in) {
        Principals.User u = requireUser(a, in.string("UserName"));
        Principals.SshPublicKey k = a.sshPublicKeys.get(in.string("SSHPublicKeyId"));
        if (k == null || !k.userName.equals(u.name)) {
            throw noSuch("The Public Key with id " + in.string("SSHPublicKeyId") + " cannot be found.");
        }
        return k;
    }

    private static Struct sshKey(Principals.SshPublicKey k, String body) {
        return Struct.of("UserName", k.userName, "SSHPublicKeyId", k.id, "Fingerprint", k.fingerprint,
                "SSHPublicKeyBody", body, "Status", k.status, "UploadDate", k.uploaded);
    }

    @AwsOperation("CreateServiceSpecificCredential")
    public Struct createServiceSpecificCredential(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            String service = in.string("ServiceName");
            if (!CREDENTIAL_SERVICES.contains(service)) {
                throw new AwsException("ServiceNotSupportedException", "The specified service does not support "
                        + "service-specific credentials.");
            }
            long existing = a.serviceCredentials.values().stream()
                    .filter(c -> c.userName.equals(u.name) && c.serviceName.equals(service)).count();
            if (existing >= 2) {
                throw new AwsException("LimitExceededException", "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2");
            }
            Integer days = in.integer("CredentialAgeDays");
            Instant created = iam.now();
            Principals.ServiceCredential c = new Principals.ServiceCredential(randomId("ACCA", 17), u.name, service,
                    u.name + "-at-" + a.id, created, days == null ? null : created.plus(days, ChronoUnit.DAYS),
                    servicePassword(service));
            a.serviceCredentials.put(c.id, c);
            return Struct.of("ServiceSpecificCredential", serviceCredential(c, true));
        }
    }

    @AwsOperation("ListServiceSpecificCredentials")
    public Struct listServiceSpecificCredentials(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String service = in.string("ServiceName");
            if (service != null && !CREDENTIAL_SERVICES.contains(service)) {
                throw new AwsException("ServiceNotSupportedException", "The specified service does not support "
                        + "service-specific credentials.");
            }
            String user = in.bool("AllUsers", false) ? null : requireUser(a, userOrCaller(call, in)).name;
            List<Principals.ServiceCredential> found = a.serviceCredentials.values().stream()
                    .filter(c -> (user == null || c.userName.equals(user)) && (service == null || c.serviceName.equals(service)))
                    .sorted((x, y) -> x.id.compareTo(y.id)).toList();
            return page(in, found, c -> c.id, "ServiceSpecificCredentials", c -> serviceCredential(c, false));
        }
    }

    @AwsOperation("ResetServiceSpecificCredential")
    public Struct resetServiceSpecificCredential(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ServiceCredential c = requireServiceCredential(a, call, in);
            c.password = servicePassword(c.serviceName);
            return Struct.of("ServiceSpecificCredential", serviceCredential(c, true));
        }
    }

    @AwsOperation("UpdateServiceSpecificCredential")
    public Struct updateServiceSpecificCredential(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireServiceCredential(a, call, in).status = status(in);
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteServiceSpecificCredential")
    public Struct deleteServiceSpecificCredential(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            a.serviceCredentials.remove(requireServiceCredential(a, call, in).id);
            return Struct.empty();
        }
    }

    private Principals.ServiceCredential requireServiceCredential(IamAccount a, Call call, Struct in) {
        Principals.User u = requireUser(a, userOrCaller(call, in));
        Principals.ServiceCredential c = a.serviceCredentials.get(in.string("ServiceSpecificCredentialId"));
        if (c == null || !c.userName.equals(u.name)) {
            throw noSuch("No such credential " + in.string("ServiceSpecificCredentialId") + " exists");
        }
        return c;
    }

    /** Bedrock API keys come as an alias and secret; CodeCommit and Keyspaces credentials as user name and password. */
    private static Struct serviceCredential(Principals.ServiceCredential c, boolean withSecret) {
        boolean bedrock = c.serviceName.startsWith("bedrock");
        return Struct.of("CreateDate", c.created, "ExpirationDate", c.expires, "ServiceName", c.serviceName,
                "ServiceUserName", bedrock ? null : c.serviceUserName,
                "ServicePassword", withSecret && !bedrock ? c.password : null,
                "ServiceCredentialAlias", bedrock ? c.serviceUserName : null,
                "ServiceCredentialSecret", withSecret && bedrock ? c.password : null,
                "ServiceSpecificCredentialId", c.id, "UserName", c.userName, "Status", c.status);
    }

    private static String servicePassword(String service) {
        String secret = AccessKeys.secret();
        return service.startsWith("bedrock") ? "ABSK" + secret : secret.substring(0, 40) + "=";
    }

    /** An id of a prefix and n characters of IAM's alphabet (upper-case letters and digits 2-7). */
    static String randomId(String prefix, int n) {
        StringBuilder sb = new StringBuilder(prefix);
        while (sb.length() < prefix.length() + n) {
            sb.append(IamIds.of(""));
        }
        return sb.substring(0, prefix.length() + n);
    }
}
