package dev.terrarium.services.events;

import java.util.List;

/**
 * Topic {@value #TOPIC}: an event for an EventBridge event bus named by ARN (Lambda destinations...), as
 * PutEvents would put it; detail is the event's JSON detail. Delivered once an EventBridge service subscribes.
 */
public record EventBridgePut(String eventBusArn, String source, String detailType, String detail, List<String> resources) {
    public static final String TOPIC = "events:put";
}
