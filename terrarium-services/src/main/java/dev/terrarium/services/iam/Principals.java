package dev.terrarium.services.iam;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The IAM entities of one account, as plain mutable objects guarded by their account's lock. */
final class Principals {
    private Principals() {
    }

    /** What users, groups and roles share: inline policies (name -> JSON) and attached managed policy ARNs. */
    abstract static class Entity {
        final String name;
        final String id;
        final String arn;
        final Instant created;
        String path;
        final Map<String, String> inlinePolicies = new LinkedHashMap<>();
        final Set<String> attached = new LinkedHashSet<>();

        Entity(String name, String id, String arn, String path, Instant created) {
            this.name = name;
            this.id = id;
            this.arn = arn;
            this.path = path;
            this.created = created;
        }
    }

    static final class User extends Entity {
        final Map<String, String> tags = new LinkedHashMap<>();
        final Set<String> groups = new LinkedHashSet<>();
        String boundaryArn;
        LoginProfile loginProfile;
        final List<String> mfaSerials = new ArrayList<>();

        User(String name, String id, String arn, String path, Instant created) {
            super(name, id, arn, path, created);
        }
    }

    static final class Group extends Entity {
        final Set<String> members = new LinkedHashSet<>();

        Group(String name, String id, String arn, String path, Instant created) {
            super(name, id, arn, path, created);
        }
    }

    static final class Role extends Entity {
        String trustPolicy;
        String description;
        int maxSessionDuration = 3600;
        String boundaryArn;
        final Map<String, String> tags = new LinkedHashMap<>();
        boolean serviceLinked;
        Instant lastUsed;
        String lastUsedRegion;

        Role(String name, String id, String arn, String path, Instant created) {
            super(name, id, arn, path, created);
        }
    }

    static final class LoginProfile {
        Instant created;
        String password;
        boolean resetRequired;
    }

    static final class AccessKey {
        final String id;
        final String secret;
        final String userName;
        final Instant created;
        String status = "Active";
        Instant lastUsed;
        String lastService;
        String lastRegion;

        AccessKey(String id, String secret, String userName, Instant created) {
            this.id = id;
            this.secret = secret;
            this.userName = userName;
            this.created = created;
        }
    }

    static final class ManagedPolicy {
        final String name;
        final String id;
        final String arn;
        final String path;
        final String description;
        final Instant created;
        Instant updated;
        String defaultVersion = "v1";
        int nextVersion = 2;
        final boolean awsManaged;
        final Map<String, PolicyVersion> versions = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        ManagedPolicy(String name, String id, String arn, String path, String description, Instant created,
                      boolean awsManaged) {
            this.name = name;
            this.id = id;
            this.arn = arn;
            this.path = path;
            this.description = description;
            this.created = created;
            this.updated = created;
            this.awsManaged = awsManaged;
        }

        String defaultDocument() {
            return versions.get(defaultVersion).document;
        }
    }

    record PolicyVersion(String id, String document, Instant created) {
    }

    static final class InstanceProfile {
        final String name;
        final String id;
        final String arn;
        final String path;
        final Instant created;
        final List<String> roles = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        InstanceProfile(String name, String id, String arn, String path, Instant created) {
            this.name = name;
            this.id = id;
            this.arn = arn;
            this.path = path;
            this.created = created;
        }
    }

    static final class MfaDevice {
        final String serial;
        final String seed;
        final Instant created;
        String userName;
        Instant enabled;
        final Map<String, String> tags = new LinkedHashMap<>();

        MfaDevice(String serial, String seed, Instant created) {
            this.serial = serial;
            this.seed = seed;
            this.created = created;
        }
    }

    record ServerCertificate(String name, String id, String arn, String path, String body, String chain,
                             Instant uploaded, Instant expiration) {
    }

    record OidcProvider(String arn, String url, List<String> clientIds, List<String> thumbprints, Instant created,
                        Map<String, String> tags) {
    }

    record SamlProvider(String arn, String metadata, Instant created, Instant validUntil, Map<String, String> tags) {
    }

    static final class SigningCertificate {
        final String id;
        final String userName;
        final String body;
        final Instant uploaded;
        String status = "Active";

        SigningCertificate(String id, String userName, String body, Instant uploaded) {
            this.id = id;
            this.userName = userName;
            this.body = body;
            this.uploaded = uploaded;
        }
    }

    static final class SshPublicKey {
        final String id;
        final String userName;
        final String body;
        final String fingerprint;
        final Instant uploaded;
        String status = "Active";

        SshPublicKey(String id, String userName, String body, String fingerprint, Instant uploaded) {
            this.id = id;
            this.userName = userName;
            this.body = body;
            this.fingerprint = fingerprint;
            this.uploaded = uploaded;
        }
    }

    static final class ServiceCredential {
        final String id;
        final String userName;
        final String serviceName;
        final String serviceUserName;
        final Instant created;
        final Instant expires;
        String password;
        String status = "Active";

        ServiceCredential(String id, String userName, String serviceName, String serviceUserName, Instant created,
                          Instant expires, String password) {
            this.id = id;
            this.userName = userName;
            this.serviceName = serviceName;
            this.serviceUserName = serviceUserName;
            this.created = created;
            this.expires = expires;
            this.password = password;
        }
    }

    /** When an entity last used a service (recorded by the authorizer under --enforce-iam). */
    record LastAccess(Instant when, String region, String entityArn) {
    }
}
