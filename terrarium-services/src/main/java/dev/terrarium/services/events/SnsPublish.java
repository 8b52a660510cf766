package dev.terrarium.services.events;

/** Topic {@value #TOPIC}: a message for an SNS topic named by ARN; delivered once an SNS service subscribes. */
public record SnsPublish(String topicArn, String message, String subject) {
    public static final String TOPIC = "sns:publish";
}
