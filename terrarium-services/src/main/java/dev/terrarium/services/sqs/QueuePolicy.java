package dev.terrarium.services.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/** AddPermission and RemovePermission: statements, one per label, in the queue's Policy document. */
final class QueuePolicy {
    static final Set<String> ACTIONS = Set.of("*", "SendMessage", "ReceiveMessage", "DeleteMessage",
            "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",
            "ListQueueTags");

    private QueuePolicy() {
    }

    static String add(String policy, String queueArn, String label, List<String> accounts, List<String> actions) {
        if (!label.matches("[A-Za-z0-9_-]{1,80}")) {
            throw SqsErrors.invalidParameter("Label", label, "Can only include alphanumeric characters, hyphens, or "
                    + "underscores. 1 to 80 in length");
        }
        if (accounts == null || accounts.isEmpty()) {
            throw SqsErrors.missingParameter("AWSAccountIds");
        }
        if (actions == null || actions.isEmpty()) {
            throw SqsErrors.missingParameter("Actions");
        }
        for (String action : actions) {
            if (!ACTIONS.contains(action)) {
                throw SqsErrors.invalidParameter("Actions", action, "Only the queue owner is allowed to invoke this action.");
            }
        }
        ObjectNode doc = read(policy, queueArn);
        ArrayNode statements = (ArrayNode) doc.get("Statement");
        for (JsonNode s : statements) {
            if (label.equals(s.path("Sid").asText())) {
                throw SqsErrors.invalidParameter("Label", label, "Already exists.");
            }
        }
        ObjectNode s = statements.addObject();
        s.put("Sid", label);
        s.put("Effect", "Allow");
        ArrayNode principals = s.putObject("Principal").putArray("AWS");
        accounts.forEach(a -> principals.add("arn:aws:iam::" + a + ":root"));
        ArrayNode acts = s.putArray("Action");
        actions.forEach(a -> acts.add("SQS:" + a));
        s.put("Resource", queueArn);
        return doc.toString();
    }

    static String remove(String policy, String queueArn, String label) {
        ObjectNode doc = read(policy, queueArn);
        ArrayNode statements = (ArrayNode) doc.get("Statement");
        for (int i = 0; i < statements.size(); i++) {
            if (label.equals(statements.get(i).path("Sid").asText())) {
                statements.remove(i);
                return statements.isEmpty() ? "" : doc.toString();
            }
        }
        throw SqsErrors.invalidParameter("Label", label, "can't find label on existing policy.");
    }

    private static ObjectNode read(String policy, String queueArn) {
        ObjectNode doc = null;
        if (policy != null && !policy.isEmpty()) {
            try {
                JsonNode n = Redrive.JSON.readTree(policy);
                if (n instanceof ObjectNode o) {
                    doc = o;
                }
            } catch (java.io.IOException e) {
                doc = null;
            }
        }
        if (doc == null) {
            doc = Redrive.JSON.createObjectNode();
            doc.put("Version", "2012-10-17");
            doc.put("Id", queueArn + "/SQSDefaultPolicy");
        }
        if (!(doc.get("Statement") instanceof ArrayNode)) {
            JsonNode single = doc.get("Statement");
            ArrayNode statements = doc.putArray("Statement");
            if (single != null && single.isObject()) {
                statements.add(single);
            }
        }
        return doc;
    }
}
