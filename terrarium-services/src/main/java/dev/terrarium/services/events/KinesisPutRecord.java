package dev.terrarium.services.events;

/**
 * Topic {@value #TOPIC}: a record for a Kinesis data stream named by ARN (CloudWatch Logs subscription
 * filters). Delivered once a Kinesis service subscribes; until then nobody listens and it is dropped.
 */
public record KinesisPutRecord(String streamArn, String partitionKey, byte[] data, String roleArn) {
    public static final String TOPIC = "kinesis:put-record";
}
