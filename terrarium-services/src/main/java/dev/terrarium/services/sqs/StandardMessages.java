package dev.terrarium.services.sqs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A standard queue's messages: a deque of visible ones (roughly first in, first out) and a set of
 * timed ones (delayed or in flight) ordered by the time they become visible again.
 */
final class StandardMessages implements MessageStore {
    private final ArrayDeque<Message> ready = new ArrayDeque<>();
    private final TreeSet<Message> timed = new TreeSet<>(Message.BY_VISIBLE_AT);
    private int readyGone;

    @Override
    public void add(Message m, long now) {
        if (m.visibleAt > now) {
            timed.add(m);
        } else {
            ready.add(m);
        }
    }

    private void promote(long now) {
        while (!timed.isEmpty() && timed.first().visibleAt <= now) {
            ready.add(timed.pollFirst());
        }
    }

    @Override
    public void receive(long now, int max, Taker taker) {
        promote(now);
        int taken = 0;
        while (taken < max) {
            Message m = ready.poll();
            if (m == null) {
                break;
            }
            if (m.gone) {
                readyGone--;
                continue;
            }
            if (taker.take(m)) {
                timed.add(m);
                taken++;
            } else {
                m.gone = true;
            }
        }
    }

    @Override
    public void remove(Message m) {
        if (!timed.remove(m)) {
            readyGone++; // still in the deque: skipped when reached
            if (readyGone > 1024 && readyGone > ready.size() / 2) {
                ready.removeIf(x -> x.gone || x == m);
                readyGone = 0;
            }
        }
        m.gone = true;
    }

    @Override
    public void reschedule(Message m, long visibleAt) {
        timed.remove(m);
        m.visibleAt = visibleAt;
        timed.add(m);
    }

    @Override
    public long[] counts(long now) {
        promote(now);
        long inFlight = 0;
        long delayed = 0;
        for (Message m : timed) {
            if (m.receiveCount > 0) {
                inFlight++;
            } else {
                delayed++;
            }
        }
        return new long[] {ready.size() - readyGone, inFlight, delayed};
    }

    @Override
    public List<Message> clear() {
        List<Message> all = new ArrayList<>(ready.size() + timed.size());
        for (Message m : ready) {
            if (!m.gone) {
                all.add(m);
            }
        }
        all.addAll(timed);
        ready.clear();
        timed.clear();
        readyGone = 0;
        all.forEach(m -> m.gone = true);
        return all;
    }

    @Override
    public List<Message> drainAvailable(long now, int max) {
        promote(now);
        List<Message> out = new ArrayList<>();
        while (out.size() < max && !ready.isEmpty()) {
            Message m = ready.poll();
            if (m.gone) {
                readyGone--;
                continue;
            }
            m.gone = true;
            out.add(m);
        }
        return out;
    }

    @Override
    public long nextVisibleAt() {
        return timed.isEmpty() ? Long.MAX_VALUE : timed.first().visibleAt;
    }
}
