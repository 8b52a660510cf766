package dev.terrarium.services.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.arn.Arn;

import java.util.ArrayList;
import java.util.List;

/** RedrivePolicy (where a queue's failing messages go) and RedriveAllowPolicy (who may send failures here). */
final class Redrive {
    static final ObjectMapper JSON = new ObjectMapper();

    private Redrive() {
    }

    record Policy(String deadLetterTargetArn, int maxReceiveCount) {
        String toJson() {
            return "{\"deadLetterTargetArn\":\"" + deadLetterTargetArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
        }
    }

    record AllowPolicy(String permission, List<String> sourceQueueArns) {
        boolean allows(String sourceArn) {
            return switch (permission) {
                case "allowAll" -> true;
                case "denyAll" -> false;
                default -> sourceQueueArns.contains(sourceArn);
            };
        }
    }

    /** A RedrivePolicy value; "" means none. InvalidAttributeValue when malformed. */
    static Policy parsePolicy(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        JsonNode node = parse(json, "RedrivePolicy");
        JsonNode arn = node.get("deadLetterTargetArn");
        JsonNode count = node.get("maxReceiveCount");
        if (arn == null || !arn.isTextual() || Arn.parse(arn.asText()) == null) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Redrive policy is not a valid JSON map or "
                    + "deadLetterTargetArn is missing or not a valid ARN.");
        }
        int max;
        if (count == null) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
        }
        try {
            max = count.isNumber() ? count.intValue() : Integer.parseInt(count.asText().trim());
        } catch (NumberFormatException e) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Invalid value for maxReceiveCount: " + count.asText()
                    + ", valid values are from 1 to 1000 both inclusive.");
        }
        if (max < 1 || max > 1000) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Invalid value for maxReceiveCount: " + max
                    + ", valid values are from 1 to 1000 both inclusive.");
        }
        return new Policy(arn.asText(), max);
    }

    /** A RedriveAllowPolicy value; "" means the default (allowAll). */
    static AllowPolicy parseAllowPolicy(String json) {
        if (json == null || json.isEmpty()) {
            return new AllowPolicy("allowAll", List.of());
        }
        JsonNode node = parse(json, "RedriveAllowPolicy");
        JsonNode permission = node.get("redrivePermission");
        if (permission == null || !List.of("allowAll", "denyAll", "byQueue").contains(permission.asText())) {
            throw SqsErrors.invalidAttributeValue("RedriveAllowPolicy",
                    "Redrive permission must be one of allowAll, denyAll or byQueue.");
        }
        List<String> sources = new ArrayList<>();
        JsonNode arns = node.get("sourceQueueArns");
        if (arns != null) {
            if (!permission.asText().equals("byQueue")) {
                throw SqsErrors.invalidAttributeValue("RedriveAllowPolicy",
                        "Source queue ARNs can only be specified when redrivePermission is byQueue.");
            }
            arns.forEach(a -> sources.add(a.asText()));
        }
        if (permission.asText().equals("byQueue") && (sources.isEmpty() || sources.size() > 10)) {
            throw SqsErrors.invalidAttributeValue("RedriveAllowPolicy",
                    "When redrivePermission is byQueue, sourceQueueArns must list 1 to 10 queue ARNs.");
        }
        return new AllowPolicy(permission.asText(), List.copyOf(sources));
    }

    private static JsonNode parse(String json, String attribute) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw SqsErrors.invalidAttributeValue(attribute, "The policy is not a JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw SqsErrors.invalidAttributeValue(attribute, "The policy is not valid JSON.");
        }
    }
}
