package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.auth.AccessKeys;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.iam.Condition;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.Statement;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;
import dev.terrarium.services.organizations.OrganizationsService;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * IAM's per-user credentials other than access keys and passwords (signing certificates, SSH public keys,
 * service-specific credentials), the access advisor, tags of the lesser resources and a few updates of
 * providers and certificates; with the helpers {@link IamService} shares.
 */
public abstract class IamCredentialOperations implements AwsService {
    private static final Set<String> CREDENTIAL_SERVICES = Set.of("codecommit.amazonaws.com", "cassandra.amazonaws.com",
            "bedrock.amazonaws.com");
    final ServiceContext context;
    final IamState state;

    IamCredentialOperations(ServiceContext context, IamState state) {
        this.context = context;
        this.state = state;
    }

    // ---------------------------------------------------------------- signing certificates

    @AwsOperation("UploadSigningCertificate")
    public Struct uploadSigningCertificate(Call call, Struct in) {
        IamAccount a = account(call);
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
            Principals.SigningCertificate c = new Principals.SigningCertificate(randomId("", 28), u.name, body, now());
            a.signingCertificates.put(c.id, c);
            return Struct.of("Certificate", signingCertificate(c));
        }
    }

    @AwsOperation("ListSigningCertificates")
    public Struct listSigningCertificates(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            List<Principals.SigningCertificate> mine = a.signingCertificates.values().stream()
                    .filter(c -> c.userName.equals(u.name)).sorted((x, y) -> x.id.compareTo(y.id)).toList();
            return page(in, mine, c -> c.id, "Certificates", this::signingCertificate);
        }
    }

    @AwsOperation("UpdateSigningCertificate")
    public Struct updateSigningCertificate(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireSigningCertificate(a, call, in).status = status(in);
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteSigningCertificate")
    public Struct deleteSigningCertificate(Call call, Struct in) {
        IamAccount a = account(call);
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

    // ---------------------------------------------------------------- SSH public keys

    @AwsOperation("UploadSSHPublicKey")
    public Struct uploadSshPublicKey(Call call, Struct in) {
        IamAccount a = account(call);
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
            Principals.SshPublicKey k = new Principals.SshPublicKey(randomId("APKA", 16), u.name, body, fingerprint, now());
            a.sshPublicKeys.put(k.id, k);
            return Struct.of("SSHPublicKey", sshKey(k, k.body));
        }
    }

    @AwsOperation("GetSSHPublicKey")
    public Struct getSshPublicKey(Call call, Struct in) {
        IamAccount a = account(call);
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
        IamAccount a = account(call);
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
        IamAccount a = account(call);
        synchronized (a) {
            requireSshKey(a, in).status = status(in);
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteSSHPublicKey")
    public Struct deleteSshPublicKey(Call call, Struct in) {
        IamAccount a = account(call);
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

    // ---------------------------------------------------------------- service-specific credentials

    @AwsOperation("CreateServiceSpecificCredential")
    public Struct createServiceSpecificCredential(Call call, Struct in) {
        IamAccount a = account(call);
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
            Instant created = now();
            Principals.ServiceCredential c = new Principals.ServiceCredential(randomId("ACCA", 17), u.name, service,
                    u.name + "-at-" + a.id, created, days == null ? null : created.plus(days, ChronoUnit.DAYS),
                    servicePassword(service));
            a.serviceCredentials.put(c.id, c);
            return Struct.of("ServiceSpecificCredential", serviceCredential(c, true));
        }
    }

    @AwsOperation("ListServiceSpecificCredentials")
    public Struct listServiceSpecificCredentials(Call call, Struct in) {
        IamAccount a = account(call);
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
        IamAccount a = account(call);
        synchronized (a) {
            Principals.ServiceCredential c = requireServiceCredential(a, call, in);
            c.password = servicePassword(c.serviceName);
            return Struct.of("ServiceSpecificCredential", serviceCredential(c, true));
        }
    }

    @AwsOperation("UpdateServiceSpecificCredential")
    public Struct updateServiceSpecificCredential(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireServiceCredential(a, call, in).status = status(in);
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteServiceSpecificCredential")
    public Struct deleteServiceSpecificCredential(Call call, Struct in) {
        IamAccount a = account(call);
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

    // ---------------------------------------------------------------- access advisor

    @AwsOperation("GenerateServiceLastAccessedDetails")
    public Struct generateServiceLastAccessedDetails(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            AccessAdvisor.Job job = AccessAdvisor.generate(state, a, in.string("Arn"), in.string("Granularity"), now(),
                    context.models().services());
            String id = UUID.randomUUID().toString();
            a.accessAdvisorJobs.put(id, job);
            return Struct.of("JobId", id);
        }
    }

    @AwsOperation("GetServiceLastAccessedDetails")
    public Struct getServiceLastAccessedDetails(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            AccessAdvisor.Job job = requireJob(a, in.string("JobId"));
            return page(in, job.services(), s -> s.string("ServiceNamespace"), "ServicesLastAccessed", s -> s)
                    .put("JobStatus", "COMPLETED").put("JobType", job.granularity())
                    .put("JobCreationDate", job.created()).put("JobCompletionDate", job.created());
        }
    }

    @AwsOperation("GetServiceLastAccessedDetailsWithEntities")
    public Struct getServiceLastAccessedDetailsWithEntities(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            AccessAdvisor.Job job = requireJob(a, in.string("JobId"));
            List<Struct> entities = job.entities().getOrDefault(in.string("ServiceNamespace"), List.of());
            return page(in, entities, e -> e.struct("EntityInfo").string("Arn"), "EntityDetailsList", e -> e)
                    .put("JobStatus", "COMPLETED").put("JobCreationDate", job.created()).put("JobCompletionDate", job.created());
        }
    }

    @AwsOperation("ListPoliciesGrantingServiceAccess")
    public Struct listPoliciesGrantingServiceAccess(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Arn arn = Arn.parse(in.string("Arn"));
            AccessAdvisor.subjects(state, a, in.string("Arn"));
            List<Principals.Entity> owners = new ArrayList<>();
            switch (arn.resourceType()) {
                case "user" -> {
                    Principals.User u = a.users.get(arn.resourceName());
                    owners.add(u);
                    u.groups.forEach(g -> owners.add(a.groups.get(g)));
                }
                case "role" -> owners.add(a.roles.get(arn.resourceName()));
                case "group" -> owners.add(a.groups.get(arn.resourceName()));
                default -> throw new AwsException("InvalidInputException", "Invalid ARN: " + in.string("Arn"));
            }
            List<Struct> entries = new ArrayList<>();
            for (String ns : in.strings("ServiceNamespaces")) {
                List<Object> granting = new ArrayList<>();
                for (Principals.Entity e : owners) {
                    String type = e instanceof Principals.User ? "USER" : e instanceof Principals.Group ? "GROUP" : "ROLE";
                    e.inlinePolicies.forEach((name, doc) -> {
                        if (grants(doc, ns)) {
                            granting.add(Struct.of("PolicyName", name, "PolicyType", "INLINE", "EntityType", type,
                                    "EntityName", e.name));
                        }
                    });
                    for (String policyArn : e.attached) {
                        Principals.ManagedPolicy p = state.policy(a, policyArn);
                        if (p != null && grants(p.defaultDocument(), ns)) {
                            granting.add(Struct.of("PolicyName", p.name, "PolicyType", "MANAGED", "PolicyArn", p.arn));
                        }
                    }
                }
                entries.add(Struct.of("ServiceNamespace", ns, "Policies", granting));
            }
            return Struct.of("PoliciesGrantingServiceAccess", entries, "IsTruncated", false);
        }
    }

    private static boolean grants(String document, String namespace) {
        for (Statement s : PolicyDocument.parse(document, PolicyKind.IDENTITY).statements()) {
            if (s.effect() == dev.terrarium.core.iam.Effect.ALLOW
                    && (s.notAction() || s.actions().stream().anyMatch(action -> AccessAdvisor.grants(action, namespace)))) {
                return true;
            }
        }
        return false;
    }

    private static AccessAdvisor.Job requireJob(IamAccount a, String id) {
        AccessAdvisor.Job job = id == null ? null : a.accessAdvisorJobs.get(id);
        if (job == null) {
            throw noSuch("No such job " + id);
        }
        return job;
    }

    // ---------------------------------------------------------------- tags of instance profiles, MFA devices, providers, certificates

    @AwsOperation("TagInstanceProfile")
    public Struct tagInstanceProfile(Call call, Struct in) {
        return tag(call, in, a -> instanceProfileTags(a, in));
    }

    @AwsOperation("UntagInstanceProfile")
    public Struct untagInstanceProfile(Call call, Struct in) {
        return untag(call, in, a -> instanceProfileTags(a, in));
    }

    @AwsOperation("ListInstanceProfileTags")
    public Struct listInstanceProfileTags(Call call, Struct in) {
        return listTags(call, in, a -> instanceProfileTags(a, in));
    }

    @AwsOperation("TagMFADevice")
    public Struct tagMfaDevice(Call call, Struct in) {
        return tag(call, in, a -> mfaTags(a, in));
    }

    @AwsOperation("UntagMFADevice")
    public Struct untagMfaDevice(Call call, Struct in) {
        return untag(call, in, a -> mfaTags(a, in));
    }

    @AwsOperation("ListMFADeviceTags")
    public Struct listMfaDeviceTags(Call call, Struct in) {
        return listTags(call, in, a -> mfaTags(a, in));
    }

    @AwsOperation("TagOpenIDConnectProvider")
    public Struct tagOpenIdConnectProvider(Call call, Struct in) {
        return tag(call, in, a -> requireOidc(a, in).tags());
    }

    @AwsOperation("UntagOpenIDConnectProvider")
    public Struct untagOpenIdConnectProvider(Call call, Struct in) {
        return untag(call, in, a -> requireOidc(a, in).tags());
    }

    @AwsOperation("ListOpenIDConnectProviderTags")
    public Struct listOpenIdConnectProviderTags(Call call, Struct in) {
        return listTags(call, in, a -> requireOidc(a, in).tags());
    }

    @AwsOperation("TagSAMLProvider")
    public Struct tagSamlProvider(Call call, Struct in) {
        return tag(call, in, a -> requireSamlProvider(a, in.string("SAMLProviderArn")).tags());
    }

    @AwsOperation("UntagSAMLProvider")
    public Struct untagSamlProvider(Call call, Struct in) {
        return untag(call, in, a -> requireSamlProvider(a, in.string("SAMLProviderArn")).tags());
    }

    @AwsOperation("ListSAMLProviderTags")
    public Struct listSamlProviderTags(Call call, Struct in) {
        return listTags(call, in, a -> requireSamlProvider(a, in.string("SAMLProviderArn")).tags());
    }

    @AwsOperation("TagServerCertificate")
    public Struct tagServerCertificate(Call call, Struct in) {
        return tag(call, in, a -> serverCertificateTags(a, in));
    }

    @AwsOperation("UntagServerCertificate")
    public Struct untagServerCertificate(Call call, Struct in) {
        return untag(call, in, a -> serverCertificateTags(a, in));
    }

    @AwsOperation("ListServerCertificateTags")
    public Struct listServerCertificateTags(Call call, Struct in) {
        return listTags(call, in, a -> serverCertificateTags(a, in));
    }

    private Struct tag(Call call, Struct in, Function<IamAccount, Map<String, String>> target) {
        IamAccount a = account(call);
        synchronized (a) {
            putTags(target.apply(a), in);
            return Struct.empty();
        }
    }

    private Struct untag(Call call, Struct in, Function<IamAccount, Map<String, String>> target) {
        IamAccount a = account(call);
        synchronized (a) {
            Map<String, String> tags = target.apply(a);
            in.strings("TagKeys").forEach(tags::remove);
            return Struct.empty();
        }
    }

    private Struct listTags(Call call, Struct in, Function<IamAccount, Map<String, String>> target) {
        IamAccount a = account(call);
        synchronized (a) {
            Map<String, String> tags = target.apply(a);
            return page(in, new ArrayList<>(new TreeSet<>(tags.keySet())), k -> k, "Tags", k -> Struct.of("Key", k, "Value", tags.get(k)));
        }
    }

    private static Map<String, String> instanceProfileTags(IamAccount a, Struct in) {
        return requireInstanceProfile(a, in.string("InstanceProfileName")).tags;
    }

    private static Map<String, String> mfaTags(IamAccount a, Struct in) {
        Principals.MfaDevice d = a.mfaDevices.get(in.string("SerialNumber"));
        if (d == null) {
            throw noSuch("MFA Device with serial number " + in.string("SerialNumber") + " does not exist.");
        }
        return d.tags;
    }

    private static Map<String, String> serverCertificateTags(IamAccount a, Struct in) {
        Principals.ServerCertificate c = requireCert(a, in.string("ServerCertificateName"));
        return a.resourceTags.computeIfAbsent(c.arn(), k -> new LinkedHashMap<>());
    }

    // ---------------------------------------------------------------- provider and certificate updates

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
        IamAccount a = account(call);
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
        IamAccount a = account(call);
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

    @AwsOperation("UpdateServerCertificate")
    public Struct updateServerCertificate(Call call, Struct in) {
        IamAccount a = account(call);
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

    // ---------------------------------------------------------------- MFA, passwords, context keys, STS preferences

    @AwsOperation("GetMFADevice")
    public Struct getMfaDevice(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.MfaDevice d = a.mfaDevices.get(in.string("SerialNumber"));
            String user = in.string("UserName");
            if (d == null || (user != null && !user.equals(d.userName))) {
                throw noSuch("MFA Device with serial number " + in.string("SerialNumber") + " does not exist.");
            }
            return Struct.of("UserName", d.userName, "SerialNumber", d.serial, "EnableDate", d.enabled);
        }
    }

    @AwsOperation("ResyncMFADevice")
    public Struct resyncMfaDevice(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            requireMfaDeviceOf(a, u, in.string("SerialNumber"));
            checkAuthenticationCodes(in);
            return Struct.empty();
        }
    }

    @AwsOperation("ChangePassword")
    public Struct changePassword(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Identity id = call.identity();
            if (id.kind() != Identity.Kind.USER) {
                throw new AwsException("InvalidUserTypeException", "Only IAM users can change their own password.");
            }
            Principals.User u = requireLoginProfile(a, id.arn().substring(id.arn().lastIndexOf('/') + 1));
            if (u.loginProfile.password != null && !u.loginProfile.password.equals(in.string("OldPassword"))) {
                throw new AwsException("InvalidUserTypeException", "The old password is incorrect.");
            }
            IamService.checkPassword(a, in.string("NewPassword"));
            u.loginProfile.password = in.string("NewPassword");
            u.loginProfile.resetRequired = false;
            return Struct.empty();
        }
    }

    @AwsOperation("GetContextKeysForCustomPolicy")
    public Struct getContextKeysForCustomPolicy(Call call, Struct in) {
        return Struct.of("ContextKeyNames", new ArrayList<Object>(contextKeys(in.strings("PolicyInputList"))));
    }

    @AwsOperation("GetContextKeysForPrincipalPolicy")
    public Struct getContextKeysForPrincipalPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        List<String> documents = new ArrayList<>(in.strings("PolicyInputList") == null ? List.of() : in.strings("PolicyInputList"));
        synchronized (a) {
            Arn arn = Arn.parse(in.string("PolicySourceArn"));
            if (arn == null || !"iam".equals(arn.service())) {
                throw new AwsException("InvalidInputException", "Invalid ARN: " + in.string("PolicySourceArn"));
            }
            Principals.Entity e = switch (arn.resourceType()) {
                case "user" -> a.users.get(arn.resourceName());
                case "group" -> a.groups.get(arn.resourceName());
                case "role" -> a.roles.get(arn.resourceName());
                default -> null;
            };
            if (e == null) {
                throw noSuch("The entity " + in.string("PolicySourceArn") + " does not exist.");
            }
            List<Principals.Entity> owners = new ArrayList<>(List.of(e));
            if (e instanceof Principals.User u) {
                u.groups.forEach(g -> owners.add(a.groups.get(g)));
            }
            for (Principals.Entity owner : owners) {
                documents.addAll(owner.inlinePolicies.values());
                owner.attached.forEach(p -> {
                    Principals.ManagedPolicy mp = state.policy(a, p);
                    if (mp != null) {
                        documents.add(mp.defaultDocument());
                    }
                });
            }
        }
        return Struct.of("ContextKeyNames", new ArrayList<Object>(contextKeys(documents)));
    }

    private static TreeSet<String> contextKeys(List<String> documents) {
        TreeSet<String> keys = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        if (documents != null) {
            for (String doc : documents) {
                for (Statement s : PolicyDocs.validate(doc, PolicyKind.IDENTITY).statements()) {
                    for (Condition c : s.conditions()) {
                        keys.add(c.key());
                    }
                }
            }
        }
        return keys;
    }

    @AwsOperation("SetSecurityTokenServicePreferences")
    public Struct setSecurityTokenServicePreferences(Call call, Struct in) {
        String version = in.string("GlobalEndpointTokenVersion");
        if (!"v1Token".equals(version) && !"v2Token".equals(version)) {
            throw new AwsException("ValidationError", "GlobalEndpointTokenVersion must be v1Token or v2Token");
        }
        return Struct.empty();
    }

    // ---------------------------------------------------------------- centralized root access

    @AwsOperation("EnableOrganizationsRootCredentialsManagement")
    public Struct enableOrganizationsRootCredentialsManagement(Call call, Struct in) {
        return organizationFeature(call, "RootCredentialsManagement", true);
    }

    @AwsOperation("DisableOrganizationsRootCredentialsManagement")
    public Struct disableOrganizationsRootCredentialsManagement(Call call, Struct in) {
        return organizationFeature(call, "RootCredentialsManagement", false);
    }

    @AwsOperation("EnableOrganizationsRootSessions")
    public Struct enableOrganizationsRootSessions(Call call, Struct in) {
        return organizationFeature(call, "RootSessions", true);
    }

    @AwsOperation("DisableOrganizationsRootSessions")
    public Struct disableOrganizationsRootSessions(Call call, Struct in) {
        return organizationFeature(call, "RootSessions", false);
    }

    @AwsOperation("ListOrganizationsFeatures")
    public Struct listOrganizationsFeatures(Call call, Struct in) {
        return organizationFeature(call, null, false);
    }

    /**
     * Centralized root access of an organization: the management account (or IAM's delegated administrator,
     * except to enable) turns features on or off once trusted access for IAM is enabled; they are kept on the
     * management account.
     */
    private Struct organizationFeature(Call call, String feature, boolean enable) {
        OrganizationsService orgs = context.peers().findStarted("organizations", OrganizationsService.class);
        OrganizationsService.Membership m = orgs == null ? null : orgs.membership(call.account(), "iam.amazonaws.com");
        if (m == null) {
            throw new AwsException("OrganizationNotFoundException",
                    "The request was rejected because no organization is associated with your account.");
        }
        if (!m.allFeatures()) {
            throw new AwsException("OrganizationNotInAllFeaturesModeException",
                    "The request was rejected because your organization does not have All features enabled.");
        }
        if (!m.trustedAccess()) {
            throw new AwsException("ServiceAccessNotEnabledException",
                    "The request was rejected because trusted access is not enabled for IAM in AWS Organizations.");
        }
        boolean management = m.managementAccount().equals(call.account());
        if (feature != null && enable && !management) {
            throw new AwsException("CallerIsNotManagementAccountException",
                    "The request was rejected because the account making the request is not the management account for the organization.");
        }
        if (!management && !m.delegatedAdministrator()) {
            throw new AwsException("AccountNotManagementOrDelegatedAdministratorException", "The request was rejected "
                    + "because the account making the request is not the management account or delegated administrator "
                    + "account for centralized root access.");
        }
        IamAccount home = state.account(m.managementAccount());
        synchronized (home) {
            if (feature != null) {
                if (enable) {
                    home.organizationFeatures.add(feature);
                } else {
                    home.organizationFeatures.remove(feature);
                }
            }
            return Struct.of("OrganizationId", m.organizationId(), "EnabledFeatures", new ArrayList<Object>(home.organizationFeatures));
        }
    }

    // ---------------------------------------------------------------- shared helpers

    IamAccount account(Call call) {
        return state.account(call.account());
    }

    Instant now() {
        return context.clock().now().truncatedTo(ChronoUnit.SECONDS);
    }

    static <T> Struct page(Struct in, List<T> items, Function<T, String> key, String member, Function<T, Object> shape) {
        Pagination.Page<T> p = Pagination.page(items, key, in.string("Marker"), in.integer("MaxItems", 100),
                () -> new AwsException("InvalidInputException", "Invalid Marker."));
        List<Object> out = new ArrayList<>();
        p.items().forEach(i -> out.add(shape.apply(i)));
        return Struct.of(member, out, "IsTruncated", p.nextToken() != null, "Marker", p.nextToken());
    }

    static List<Object> tagList(Map<String, String> tags) {
        return new ArrayList<>(Tags.toList(tags, "Key", "Value"));
    }

    static Map<String, String> tags(Struct in) {
        Map<String, String> t = Tags.fromList(in.structs("Tags"), "Key", "Value");
        new Tags().put(t, "InvalidInputException");
        return t;
    }

    static void putTags(Map<String, String> target, Struct in) {
        Tags t = new Tags();
        t.put(target, "InvalidInputException");
        t.put(Tags.fromList(in.structs("Tags"), "Key", "Value"), "InvalidInputException");
        target.clear();
        target.putAll(t.asMap());
    }

    static AwsException noSuch(String message) {
        return new AwsException("NoSuchEntityException", message);
    }

    static AwsException exists(String message) {
        return new AwsException("EntityAlreadyExistsException", message);
    }

    static AwsException conflict(String message) {
        return new AwsException("DeleteConflictException", message);
    }
    static Principals.ServerCertificate requireCert(IamAccount a, String name) {
        Principals.ServerCertificate c = a.serverCertificates.get(name);
        if (c == null) {
            throw noSuch("The Server Certificate with name " + name + " cannot be found.");
        }
        return c;
    }

    static Principals.InstanceProfile requireInstanceProfile(IamAccount a, String name) {
        Principals.InstanceProfile p = a.instanceProfiles.get(name);
        if (p == null) {
            throw noSuch("Instance Profile " + name + " cannot be found.");
        }
        return p;
    }

    static Principals.User requireLoginProfile(IamAccount a, String user) {
        Principals.User u = requireUser(a, user);
        if (u.loginProfile == null) {
            throw noSuch("Login Profile for User " + u.name + " cannot be found.");
        }
        return u;
    }

    /** The MFA device {@code serial}, which must be enabled for user {@code u}. */
    static Principals.MfaDevice requireMfaDeviceOf(IamAccount a, Principals.User u, String serial) {
        Principals.MfaDevice d = a.mfaDevices.get(serial);
        if (d == null || !u.name.equals(d.userName)) {
            throw noSuch("MFA Device with serial number " + serial + " does not exist.");
        }
        return d;
    }

    static void checkAuthenticationCodes(Struct in) {
        for (String code : List.of(in.string("AuthenticationCode1"), in.string("AuthenticationCode2"))) {
            if (code == null || !code.matches("\\d{6}")) {
                throw new AwsException("InvalidAuthenticationCodeException", "Authentication code for device is not valid.");
            }
        }
    }

    static Principals.User requireUser(IamAccount a, String name) {
        Principals.User u = name == null ? null : a.users.get(name);
        if (u == null) {
            throw noSuch("The user with name " + name + " cannot be found.");
        }
        return u;
    }

    static String userOrCaller(Call call, Struct in) {
        String name = in.string("UserName");
        if (name != null) {
            return name;
        }
        Identity id = call.identity();
        if (id.kind() != Identity.Kind.USER) {
            throw new AwsException("ValidationError", "Must specify userName when calling with non-User credentials");
        }
        return id.arn().substring(id.arn().lastIndexOf('/') + 1);
    }


    static String status(Struct in) {
        String s = in.string("Status");
        if (!"Active".equals(s) && !"Inactive".equals(s) && !"Expired".equals(s)) {
            throw new AwsException("ValidationError", "1 validation error detected: Value '" + s
                    + "' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]");
        }
        return s;
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
