package dev.terrarium.core.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The value a service returns for an output member whose shape is an event stream (CloudWatch Logs'
 * StartLiveTail, S3's SelectObjectContent): events, each naming the union member it is (its event type), put
 * while the response is being written. The codec answers application/vnd.amazon.eventstream and writes each event
 * as a message; {@link #complete()} ends the stream, {@link #fail(AwsException)} ends it with a modeled exception
 * event (or an error message when the stream does not model that exception). When the client goes away the
 * stream is closed: {@link #emit} then answers false and the {@link #onClose} actions run.
 */
public final class EventStream {
    /** One event: the union member's name and its value. */
    public record Event(String member, Struct value) {
    }

    /** The end of the stream, with the exception that ended it or null. */
    public record End(AwsException error) {
    }

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private volatile boolean closed;

    /** Puts an event; false (and nothing put) when the stream has ended or the client is gone. */
    public boolean emit(String member, Struct event) {
        if (ended || closed) {
            return false;
        }
        queue.add(new Event(member, event == null ? Struct.empty() : event));
        return true;
    }

    /** Ends the stream normally. */
    public void complete() {
        end(null);
    }

    /** Ends the stream with an error: a modeled exception event, else an error message. */
    public void fail(AwsException error) {
        end(error);
    }

    private synchronized void end(AwsException error) {
        if (!ended) {
            ended = true;
            queue.add(new End(error));
        }
    }

    /** True once the stream ended or its client went away. */
    public boolean isOpen() {
        return !ended && !closed;
    }

    /** True once the client went away (the response could not be written further). */
    public boolean isClosed() {
        return closed;
    }

    /** Runs the action when the client goes away or the stream is fully written (at once when already so). */
    public void onClose(Runnable action) {
        closeActions.add(action);
        if (closed && closeActions.remove(action)) {
            action.run();
        }
    }

    /** How many events wait to be written (a producer can hold back from a slow client). */
    public int pending() {
        return queue.size();
    }

    /** For codecs: the next {@link Event} or {@link End}, or null when none came within the timeout. */
    public Object next(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    /** For codecs: the response is done (written or abandoned); runs the close actions once. */
    public void close() {
        closed = true;
        for (Runnable r : closeActions) {
            if (closeActions.remove(r)) {
                r.run();
            }
        }
    }
}
