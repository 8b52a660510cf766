package dev.terrarium.services.events;

/**
 * Topic {@value #TOPIC}: a record for an Amazon Data Firehose delivery stream named by ARN (CloudWatch Logs
 * subscription filters). Delivered once a Firehose service subscribes; until then it is dropped.
 */
public record FirehosePutRecord(String deliveryStreamArn, byte[] data, String roleArn) {
    public static final String TOPIC = "firehose:put-record";
}
