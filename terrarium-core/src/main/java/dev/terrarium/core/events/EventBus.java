package dev.terrarium.core.events;

import java.util.function.Consumer;

/**
 * In-process delivery between services (S3 -> SQS, SNS -> Lambda, EventBridge rules...).
 * Publishers name a topic; subscribers receive each event on a worker thread, never the publisher's.
 */
public interface EventBus {
    void publish(String topic, Object event);

    /** Returns a handle that stops the subscription when closed. */
    AutoCloseable subscribe(String topic, Consumer<Object> subscriber);
}
