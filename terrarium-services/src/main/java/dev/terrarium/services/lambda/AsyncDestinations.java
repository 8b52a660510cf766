package dev.terrarium.services.lambda;

import dev.terrarium.core.events.EventBus;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.events.EventBridgePut;
import dev.terrarium.services.events.SnsPublish;
import dev.terrarium.services.events.SqsSend;
import dev.terrarium.services.sqs.SqsService;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Where asynchronous invocation records and dead letters go: an SQS queue (directly through the SQS service,
 * or the events bus when it is not running), an SNS topic or an EventBridge bus (through the events bus, so
 * they arrive once those services exist), or another Lambda function (an asynchronous invocation of it).
 */
final class AsyncDestinations {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AsyncDestinations.class);
    private static final String ARN_PATTERN =
            "^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
    private static final Pattern ARN = Pattern.compile(ARN_PATTERN);

    private final EventBus bus;
    private final Peers peers;
    /** Invokes a function, named by (qualified) ARN, asynchronously with a payload. */
    private final BiConsumer<String, byte[]> invokeFunction;

    AsyncDestinations(EventBus bus, Peers peers, BiConsumer<String, byte[]> invokeFunction) {
        this.bus = bus;
        this.peers = peers;
        this.invokeFunction = invokeFunction;
    }

    /** A DeadLetterConfig.TargetArn: an SQS queue or SNS topic ARN, or "" to remove it (null then). */
    static String deadLetterTarget(String arn) {
        if (arn == null || arn.isEmpty()) {
            return null;
        }
        String service = service(arn);
        if (!ARN.matcher(arn).matches() || !("sqs".equals(service) || "sns".equals(service))) {
            throw LambdaErrors.invalid("The provided target arn is invalid: " + arn
                    + ". The target must be an Amazon SQS queue or an Amazon SNS topic.");
        }
        return arn;
    }

    /**
     * Checks a DestinationConfig as Lambda does: each destination an ARN of SQS, SNS, EventBridge or an
     * existing Lambda function other than the function itself.
     */
    static void check(String onSuccess, String onFailure, String functionName, Functions functions, String account,
                      String region) {
        boolean invalid = false;
        for (String[] d : new String[][] {{onSuccess, "onSuccess"}, {onFailure, "onFailure"}}) {
            String arn = d[0];
            if (arn == null || arn.isEmpty()) {
                continue;
            }
            if (!ARN.matcher(arn).matches()) {
                throw new AwsException("ValidationException", "1 validation error detected: Value '" + arn + "' at 'destinationConfig."
                        + d[1] + ".destination' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + ARN_PATTERN);
            }
            switch (service(arn)) {
                case "lambda" -> {
                    FunctionNames target;
                    try {
                        target = FunctionNames.parse(arn, account, region, null);
                        functions.require(account, region, target);
                    } catch (AwsException e) {
                        throw LambdaErrors.invalid("The destination ARN " + arn + " is invalid.");
                    }
                    if (target.name().equals(functionName)) {
                        throw LambdaErrors.invalid("You can't specify the function as a destination for itself.");
                    }
                }
                case "sqs", "sns", "events" -> { }
                default -> invalid = true;
            }
        }
        if (invalid) {
            throw LambdaErrors.invalid("The provided destination config DestinationConfig(onSuccess="
                    + (onSuccess == null ? "null" : "OnSuccess(destination=" + onSuccess + ")") + ", onFailure="
                    + (onFailure == null ? "null" : "OnFailure(destination=" + onFailure + ")") + ") is invalid.");
        }
    }

    private static String service(String arn) {
        String[] parts = arn.split(":", 4);
        return parts.length > 2 ? parts[2] : "";
    }

    /** Sends an invocation record (JSON) to a destination. */
    void record(String destination, String record, boolean success, String functionArn) {
        switch (service(destination)) {
            case "sqs" -> sendToQueue(destination, record, null);
            case "sns" -> bus.publish(SnsPublish.TOPIC, new SnsPublish(destination, record, null));
            case "events" -> bus.publish(EventBridgePut.TOPIC, new EventBridgePut(destination, "lambda",
                    success ? "Lambda Function Invocation Result - Success" : "Lambda Function Invocation Result - Failure",
                    record, List.of(functionArn)));
            case "lambda" -> invokeFunction.accept(destination, record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> LOG.debug("dropped an invocation record for {}: unsupported destination", destination);
        }
    }

    /** Sends a failed event to a function's dead-letter queue or topic, with Lambda's RequestID/ErrorCode/ErrorMessage. */
    void deadLetter(String target, String payload, String requestId, String errorMessage) {
        if ("sns".equals(service(target))) {
            bus.publish(SnsPublish.TOPIC, new SnsPublish(target, payload, null));
            return;
        }
        sendToQueue(target, payload, Map.of(
                "RequestID", Struct.of("DataType", "String", "StringValue", requestId),
                "ErrorCode", Struct.of("DataType", "Number", "StringValue", "200"),
                "ErrorMessage", Struct.of("DataType", "String", "StringValue",
                        errorMessage == null || errorMessage.isEmpty() ? "Unhandled" : truncate(errorMessage))));
    }

    private static String truncate(String s) {
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }

    private void sendToQueue(String queueArn, String body, Map<String, Object> attributes) {
        SqsService sqs = peers.findStarted("sqs", SqsService.class);
        if (sqs == null) {
            bus.publish(SqsSend.TOPIC, new SqsSend(queueArn, body, null));
            return;
        }
        try {
            sqs.sendByArn(queueArn, null, body, attributes);
        } catch (AwsException e) {
            LOG.debug("dropped a message for {}: {}", queueArn, e.getMessage());
        }
    }
}
