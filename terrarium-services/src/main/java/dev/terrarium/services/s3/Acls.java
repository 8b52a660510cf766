package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Access control lists: canned ACLs and x-amz-grant-* headers turned into S3's AccessControlPolicy form. */
final class Acls {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    private static final Set<String> CANNED = Set.of("private", "public-read", "public-read-write", "authenticated-read",
            "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write");

    private Acls() {}

    /** The ACL of a create/put request: its canned ACL or grant headers, else private. */
    static Struct fromRequest(Struct in, String account) {
        String canned = in.string("ACL");
        List<Object> grants = new ArrayList<>();
        grants.add(grant(user(account), "FULL_CONTROL"));
        if (canned != null) {
            if (!CANNED.contains(canned)) {
                throw new AwsException("InvalidArgument", "", 400);
            }
            switch (canned) {
                case "public-read" -> grants.add(grant(group(ALL_USERS), "READ"));
                case "public-read-write" -> {
                    grants.add(grant(group(ALL_USERS), "READ"));
                    grants.add(grant(group(ALL_USERS), "WRITE"));
                }
                case "authenticated-read" -> grants.add(grant(group(AUTHENTICATED), "READ"));
                case "log-delivery-write" -> {
                    grants.add(grant(group(LOG_DELIVERY), "WRITE"));
                    grants.add(grant(group(LOG_DELIVERY), "READ_ACP"));
                }
                default -> {
                }
            }
        }
        addGrants(grants, in.string("GrantRead"), "READ");
        addGrants(grants, in.string("GrantWrite"), "WRITE");
        addGrants(grants, in.string("GrantReadACP"), "READ_ACP");
        addGrants(grants, in.string("GrantWriteACP"), "WRITE_ACP");
        addGrants(grants, in.string("GrantFullControl"), "FULL_CONTROL");
        return Struct.of("Owner", Owners.owner(account), "Grants", grants);
    }

    /** x-amz-grant-read: id="...", uri="...", emailAddress="..." */
    private static void addGrants(List<Object> grants, String header, String permission) {
        if (header == null) {
            return;
        }
        for (String part : header.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new AwsException("InvalidArgument", "Invalid grant header", 400);
            }
            String type = p.substring(0, eq).trim();
            String value = p.substring(eq + 1).trim().replace("\"", "");
            Struct grantee = switch (type.toLowerCase(java.util.Locale.ROOT)) {
                case "id" -> Struct.of("Type", "CanonicalUser", "ID", value);
                case "uri" -> group(value);
                case "emailaddress" -> Struct.of("Type", "AmazonCustomerByEmail", "EmailAddress", value);
                default -> throw new AwsException("InvalidArgument", "Invalid grant header", 400);
            };
            grants.add(grant(grantee, permission));
        }
    }

    static Struct user(String account) {
        return Struct.of("Type", "CanonicalUser", "ID", Owners.canonicalId(account), "DisplayName", account);
    }

    static Struct group(String uri) {
        return Struct.of("Type", "Group", "URI", uri);
    }

    static Struct grant(Struct grantee, String permission) {
        return Struct.of("Grantee", grantee, "Permission", permission);
    }

    /** The ACL of a PutBucketAcl/PutObjectAcl: the AccessControlPolicy body, or the headers. */
    static Struct fromPut(Struct in, String account) {
        Struct policy = in.struct("AccessControlPolicy");
        if (policy != null && in.string("ACL") == null) {
            Struct owner = policy.struct("Owner");
            return Struct.of("Owner", owner == null ? Owners.owner(account) : owner,
                    "Grants", policy.list("Grants") == null ? List.of() : policy.list("Grants"));
        }
        return fromRequest(in, account);
    }

    /** With BucketOwnerEnforced ownership, ACLs other than private / bucket-owner-full-control are refused. */
    static void checkAllowed(Bucket b, Struct in) {
        Object controls = b.configs.get("OwnershipControls");
        boolean enforced = controls instanceof Struct s && s.structs("Rules") != null
                && s.structs("Rules").stream().anyMatch(r -> "BucketOwnerEnforced".equals(r.string("ObjectOwnership")));
        String canned = in.string("ACL");
        boolean harmless = canned != null && (canned.equals("private") || canned.equals("bucket-owner-full-control"));
        if (enforced && !harmless && (canned != null || in.struct("AccessControlPolicy") != null
                || in.string("GrantRead") != null || in.string("GrantFullControl") != null)) {
            throw new AwsException("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
        }
    }
}
