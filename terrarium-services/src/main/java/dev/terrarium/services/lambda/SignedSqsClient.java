package dev.terrarium.services.lambda;

import com.fasterxml.jackson.core.type.TypeReference;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Talks to Terrarium's own SQS over its endpoint, as Lambda's pollers talk to SQS: SigV4-signed
 * JSON requests (AmazonSQS.ReceiveMessage / DeleteMessageBatch) with the mapping's account.
 */
final class SignedSqsClient implements QueueClient {
    private final SignedHttp http;

    SignedSqsClient(SignedHttp http) {
        this.http = http;
    }

    @Override
    public List<Message> receive(String queueUrl, int max, int waitSeconds) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("QueueUrl", queueUrl);
        body.put("MaxNumberOfMessages", max);
        body.put("WaitTimeSeconds", waitSeconds);
        body.put("MessageSystemAttributeNames", List.of("All"));
        body.put("MessageAttributeNames", List.of("All"));
        Map<String, Object> out = call("ReceiveMessage", body);
        List<Message> messages = new ArrayList<>();
        Object list = out.get("Messages");
        if (list instanceof List<?> l) {
            for (Object m : l) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) m;
                messages.add(new Message(fields));
            }
        }
        return messages;
    }

    @Override
    public void delete(String queueUrl, List<String> receiptHandles) throws Exception {
        for (int from = 0; from < receiptHandles.size(); from += 10) {
            List<Map<String, String>> entries = new ArrayList<>();
            for (int i = from; i < Math.min(receiptHandles.size(), from + 10); i++) {
                entries.add(Map.of("Id", "m" + i, "ReceiptHandle", receiptHandles.get(i)));
            }
            call("DeleteMessageBatch", Map.of("QueueUrl", queueUrl, "Entries", entries));
        }
    }

    private Map<String, Object> call(String action, Map<String, Object> input) throws Exception {
        byte[] payload = Json.MAPPER.writeValueAsBytes(input);
        HttpResponse<byte[]> response = http.send("sqs", "POST", "/", null, Map.of(
                "Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "AmazonSQS." + action), payload);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("SQS " + action + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body().length == 0 ? Map.of()
                : Json.MAPPER.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }
}
