package dev.terrarium.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A browser POST upload's policy document (base64 JSON: expiration and conditions) checked against the
 * form fields as S3 checks it: every field covered by a condition, every condition holding.
 */
final class PostPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields no condition needs to cover. */
    private static final Set<String> EXEMPT = Set.of("policy", "x-amz-signature", "signature", "awsaccesskeyid",
            "file", "x-amz-security-token");
    private final JsonNode doc;
    private long minLength = 0;
    private long maxLength = Long.MAX_VALUE;

    private PostPolicy(JsonNode doc) {
        this.doc = doc;
    }

    static PostPolicy parse(String base64) {
        try {
            JsonNode doc = JSON.readTree(Base64.getDecoder().decode(base64.trim()));
            if (doc == null || !doc.isObject() || !doc.path("conditions").isArray()
                    || !doc.path("expiration").isTextual()) {
                throw invalidPolicy();
            }
            return new PostPolicy(doc);
        } catch (IOException | IllegalArgumentException e) {
            throw invalidPolicy();
        }
    }

    /** Checks expiry and conditions; fields are keyed by lower-case name (bucket included). */
    void check(Map<String, String> fields, Instant now) {
        Instant expiration;
        try {
            expiration = Instant.parse(doc.get("expiration").asText());
        } catch (DateTimeParseException e) {
            throw invalidPolicy();
        }
        if (!now.isBefore(expiration)) {
            throw denied("Policy expired.");
        }
        Set<String> covered = new HashSet<>();
        for (JsonNode c : doc.get("conditions")) {
            if (c.isObject()) {
                c.fields().forEachRemaining(e -> {
                    String name = e.getKey().toLowerCase(Locale.ROOT);
                    covered.add(name);
                    if (!e.getValue().asText().equals(fields.get(name))) {
                        throw denied("Policy Condition failed: [\"eq\", \"$" + e.getKey() + "\", \""
                                + e.getValue().asText() + "\"]");
                    }
                });
            } else if (c.isArray() && c.size() == 3) {
                String op = c.get(0).asText().toLowerCase(Locale.ROOT);
                if (op.equals("content-length-range")) {
                    minLength = c.get(1).asLong();
                    maxLength = c.get(2).asLong();
                    continue;
                }
                String target = c.get(1).asText();
                if (!target.startsWith("$")) {
                    throw invalidPolicy();
                }
                String name = target.substring(1).toLowerCase(Locale.ROOT);
                covered.add(name);
                String actual = fields.getOrDefault(name, "");
                String expected = c.get(2).asText();
                boolean ok = switch (op) {
                    case "eq" -> actual.equals(expected);
                    case "starts-with" -> actual.startsWith(expected);
                    default -> throw invalidPolicy();
                };
                if (!ok) {
                    throw denied("Policy Condition failed: [\"" + op + "\", \"" + target + "\", \"" + expected + "\"]");
                }
            } else {
                throw invalidPolicy();
            }
        }
        for (String name : fields.keySet()) {
            if (!covered.contains(name) && !EXEMPT.contains(name) && !name.startsWith("x-ignore-")
                    && !name.equals("bucket")) {
                throw denied("Extra input fields: " + name);
            }
        }
    }

    /** The content-length-range condition on the uploaded file's size. */
    void checkSize(long size) {
        if (size > maxLength) {
            throw new AwsException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400);
        }
        if (size < minLength) {
            throw new AwsException("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                    400);
        }
    }


    private static AwsException denied(String why) {
        return S3Errors.accessDenied("Invalid according to Policy: " + why);
    }

    private static AwsException invalidPolicy() {
        return new AwsException("InvalidPolicyDocument", "Invalid Policy: Invalid JSON.", 400);
    }
}
