package dev.terrarium.services.events;

/** Topic {@value #TOPIC}: an asynchronous (Event) invocation of a Lambda function named by ARN, with its JSON payload. */
public record LambdaInvoke(String functionArn, String payload) {
    public static final String TOPIC = "lambda:invoke";
}
