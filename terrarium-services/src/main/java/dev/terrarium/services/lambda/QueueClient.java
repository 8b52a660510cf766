package dev.terrarium.services.lambda;

import java.util.List;
import java.util.Map;

/** What an SQS event source mapping needs from a queue (named by ARN): receive a batch, delete what was processed. */
interface QueueClient {
    /** A received message, in the SQS wire form (MessageId, ReceiptHandle, Body, Attributes, MessageAttributes...). */
    record Message(Map<String, Object> fields) {
        String string(String name) { return (String) fields.get(name); }
    }

    List<Message> receive(String queueArn, int max, int waitSeconds) throws Exception;

    void delete(String queueArn, List<String> receiptHandles) throws Exception;
}
