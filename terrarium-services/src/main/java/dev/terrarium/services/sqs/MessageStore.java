package dev.terrarium.services.sqs;

import java.util.List;

/** The order messages of a queue are delivered in. Called only under the queue's lock. */
interface MessageStore {
    /** Decides, for each message the store offers, whether it is delivered (true) or dropped from the queue. */
    interface Taker {
        boolean take(Message m);
    }

    /** Adds a message; it is delayed when its visible-at time is after now. */
    void add(Message m, long now);

    /** Offers available messages to the taker until it has taken max; taken messages become timed (in flight). */
    void receive(long now, int max, Taker taker);

    void remove(Message m);

    /** A new visible-at time for a message (in flight or delayed). */
    void reschedule(Message m, long visibleAt);

    /** Visible, not visible (in flight) and delayed counts. */
    long[] counts(long now);

    /** Removes and returns every message. */
    List<Message> clear();

    /** Removes and returns up to max messages that are available now (for message move tasks). */
    List<Message> drainAvailable(long now, int max);

    /** The earliest time a timed message becomes visible, or Long.MAX_VALUE. */
    long nextVisibleAt();
}
