package dev.terrarium.services.s3;

import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.protocol.rest.RestBindings;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bucket configurations that S3 stores and returns as sent (CORS, lifecycle, policy, tagging, website,
 * encryption, public access block, ownership, replication, logging, notifications, accelerate, request
 * payment, and the Id-keyed inventory/analytics/metrics/intelligent-tiering ones). The Put operation's
 * payload member is what is stored; the Get answer is shaped by the Get operation's output (the payload
 * member, or the stored structure's members at top level), so no operation needs its own code.
 */
final class BucketConfigs {
    static final String ENCRYPTION = "Encryption";

    /** What GetX answers when nothing was stored: an error code and message, or a default value. */
    record Missing(String code, String message, Object fallback) {
        static Missing error(String code, String message) {
            return new Missing(code, message, null);
        }

        static Missing value(Object fallback) {
            return new Missing(null, null, fallback);
        }
    }

    static final Map<String, Missing> MISSING = Map.ofEntries(
            Map.entry("Cors", Missing.error("NoSuchCORSConfiguration", "The CORS configuration does not exist")),
            Map.entry("Lifecycle", Missing.error("NoSuchLifecycleConfiguration",
                    "The lifecycle configuration does not exist")),
            Map.entry("Policy", Missing.error("NoSuchBucketPolicy", "The bucket policy does not exist")),
            Map.entry("Tagging", Missing.error("NoSuchTagSet", "The TagSet does not exist")),
            Map.entry("Website", Missing.error("NoSuchWebsiteConfiguration",
                    "The specified bucket does not have a website configuration")),
            Map.entry("PublicAccessBlock", Missing.error("NoSuchPublicAccessBlockConfiguration",
                    "The public access block configuration was not found")),
            Map.entry("OwnershipControls", Missing.error("OwnershipControlsNotFoundError",
                    "The bucket ownership controls were not found")),
            Map.entry("Replication", Missing.error("ReplicationConfigurationNotFoundError",
                    "The replication configuration was not found")),
            Map.entry(ObjectLocks.CONFIG, Missing.error("ObjectLockConfigurationNotFoundError",
                    "Object Lock configuration does not exist for this bucket")),
            Map.entry(ENCRYPTION, Missing.value(Struct.of("Rules", List.of(Struct.of(
                    "ApplyServerSideEncryptionByDefault", Struct.of("SSEAlgorithm", "AES256"),
                    "BucketKeyEnabled", false))))),
            Map.entry("Logging", Missing.value(Struct.empty())),
            Map.entry("Notification", Missing.value(Struct.empty())),
            Map.entry("Accelerate", Missing.value(Struct.empty())),
            Map.entry("RequestPayment", Missing.value(Struct.of("Payer", "BucketOwner"))));

    private BucketConfigs() {}

    static void put(Bucket b, String name, Operation op, Struct in) {
        Member payload = RestBindings.payloadMember(op.input());
        Object value = payload == null ? null : in.get(payload.name());
        if (value == null) {
            throw S3Errors.malformedXml();
        }
        b.configs.put(name, value);
    }

    static Struct get(Bucket b, String name, Operation op) {
        Object value = b.configs.get(name);
        if (value == null) {
            Missing missing = MISSING.get(name);
            if (missing == null || missing.code() != null) {
                throw new AwsException(missing == null ? "NoSuchConfiguration" : missing.code(),
                        missing == null ? "The specified configuration does not exist." : missing.message(), 404)
                        .withFields(Struct.of("BucketName", b.name));
            }
            value = missing.fallback();
        }
        return shape(op, value);
    }

    /** The stored value as the Get operation's output: under its payload member, or its members at the top. */
    static Struct shape(Operation op, Object value) {
        Member payload = RestBindings.payloadMember(op.output());
        if (payload != null) {
            return Struct.of(payload.name(), value instanceof Struct s ? s.copy() : value);
        }
        return value instanceof Struct s ? s.copy() : Struct.empty();
    }

    static void delete(Bucket b, String name) {
        b.configs.remove(name);
    }

    // ---- Id-keyed configurations (inventory, analytics, metrics, intelligent tiering) ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> byId(Bucket b, String kind) {
        return (Map<String, Object>) b.configs.computeIfAbsent(kind + "#ids",
                k -> java.util.Collections.synchronizedMap(new TreeMap<String, Object>()));
    }

    static void putById(Bucket b, String kind, Operation op, Struct in) {
        Member payload = RestBindings.payloadMember(op.input());
        Object value = payload == null ? null : in.get(payload.name());
        if (!(value instanceof Struct s)) {
            throw S3Errors.malformedXml();
        }
        String id = in.string("Id");
        if (s.string("Id") != null && !s.string("Id").equals(id)) {
            throw S3Errors.invalidArgument("The Id in the configuration does not match the id query parameter", "id", id);
        }
        byId(b, kind).put(id, value);
    }

    static Struct getById(Bucket b, String kind, Operation op, String id) {
        Object value = byId(b, kind).get(id);
        if (value == null) {
            throw new AwsException("NoSuchConfiguration", "The specified configuration does not exist.", 404);
        }
        return shape(op, value);
    }

    static void deleteById(Bucket b, String kind, String id) {
        if (byId(b, kind).remove(id) == null) {
            throw new AwsException("NoSuchConfiguration", "The specified configuration does not exist.", 404);
        }
    }

    /** ListBucketXConfigurations: up to 100 per page, the list member named by the operation's output. */
    static Struct listById(Bucket b, String kind, Operation op, String token) {
        String after = Tokens.decode(token, "continuation-token");
        List<Object> page = new ArrayList<>();
        String last = null;
        boolean more = false;
        synchronized (byId(b, kind)) {
            for (Map.Entry<String, Object> e : byId(b, kind).entrySet()) {
                if (after != null && e.getKey().compareTo(after) <= 0) {
                    continue;
                }
                if (page.size() == 100) {
                    more = true;
                    break;
                }
                page.add(((Struct) e.getValue()).copy());
                last = e.getKey();
            }
        }
        String listMember = null;
        for (String m : op.output().members().keySet()) {
            if (m.endsWith("List")) {
                listMember = m;
            }
        }
        return Struct.of(listMember, page.isEmpty() ? null : page, "IsTruncated", more, "ContinuationToken", token,
                "NextContinuationToken", more ? Tokens.encode(last) : null);
    }
}
