package dev.terrarium.services.lambda;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.terrarium.core.auth.SigV4Crypto;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Talks to Terrarium's own SQS over its endpoint, as Lambda's pollers talk to SQS: SigV4-signed
 * JSON requests (AmazonSQS.ReceiveMessage / DeleteMessageBatch) with the mapping's account.
 */
final class SignedSqsClient implements QueueClient {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String endpoint;
    private final String region;
    private final String accessKey;
    private final String secretKey;

    SignedSqsClient(String endpoint, String region, String accessKey, String secretKey) {
        this.endpoint = endpoint;
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
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
        URI uri = URI.create(endpoint + "/");
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String amzDate = AMZ_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        String date = amzDate.substring(0, 8);
        String target = "AmazonSQS." + action;
        String contentType = "application/x-amz-json-1.0";
        String signedHeaders = "content-type;host;x-amz-date;x-amz-target";
        String canonical = "POST\n/\n\n" + "content-type:" + contentType + "\nhost:" + host + "\nx-amz-date:" + amzDate
                + "\nx-amz-target:" + target + "\n\n" + signedHeaders + "\n" + SigV4Crypto.sha256Hex(payload);
        String scope = date + "/" + region + "/sqs/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + SigV4Crypto.sha256Hex(canonical);
        String signature = SigV4Crypto.signatureHex(SigV4Crypto.signingKey(secretKey, date, region, "sqs"), toSign);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("X-Amz-Date", amzDate)
                .header("X-Amz-Target", target)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("SQS " + action + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body().length == 0 ? Map.of()
                : Json.MAPPER.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }
}
