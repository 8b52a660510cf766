package dev.terrarium.services.events;

/**
 * Topic {@value #TOPIC}: a message for an SQS queue named by ARN (S3 and SNS notifications, EventBridge
 * targets). The SQS service delivers it to the queue if it exists; otherwise it is dropped, as AWS drops
 * a notification to a deleted queue. senderId may be null.
 */
public record SqsSend(String queueArn, String body, String senderId) {
    public static final String TOPIC = "sqs:send";
}
