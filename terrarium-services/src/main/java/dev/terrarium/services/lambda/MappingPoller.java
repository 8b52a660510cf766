package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;

import java.util.function.Function;

/**
 * The thread body that feeds one event source mapping's function (SQS queue or DynamoDB stream): until stopped,
 * it polls the source while the mapping is enabled; a round that fails is recorded as the mapping's last processing
 * result, and the next round comes a second later.
 */
abstract class MappingPoller implements Runnable {
    /** How long a disabled mapping's poller waits before it looks again. */
    private static final long DISABLED_POLL_MILLIS = 200;
    /** How long a poller waits after a failed round. */
    private static final long FAILED_POLL_MILLIS = 1000;
    /** How long a poller waits for a concurrency slot of a throttled function. */
    private static final long THROTTLED_POLL_MILLIS = 500;

    final EventSourceMapping mapping;
    final Function<EventSourceMapping, Invoker.Target> resolve;
    final Invoker invoker;
    private volatile boolean stopped;

    MappingPoller(EventSourceMapping mapping, Function<EventSourceMapping, Invoker.Target> resolve, Invoker invoker) {
        this.mapping = mapping;
        this.resolve = resolve;
        this.invoker = invoker;
    }

    void stop() {
        stopped = true;
    }

    final boolean stopped() {
        return stopped;
    }

    @Override
    public final void run() {
        while (!stopped) {
            if (!mapping.enabled) {
                sleep(DISABLED_POLL_MILLIS);
                continue;
            }
            try {
                poll();
            } catch (Exception e) {
                mapping.lastProcessingResult = "PROBLEM: " + e.getMessage();
                sleep(FAILED_POLL_MILLIS);
            }
        }
    }

    /** One round: reads a batch from the source (waiting a little when there is none) and invokes the function with it. */
    abstract void poll() throws Exception;

    /** Takes a concurrency slot of the target's function, waiting while the function is throttled (until stopped). */
    final void reserve(Invoker.Target target) {
        while (!stopped) {
            try {
                invoker.reserve(target.function());
                return;
            } catch (AwsException throttled) {
                sleep(THROTTLED_POLL_MILLIS);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
