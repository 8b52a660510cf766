package dev.terrarium.services.sqs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FIFO queue's messages, in order per message group. A group whose first message is in flight
 * (or still delayed) delivers nothing, so no second message of a group is in flight while an
 * earlier one is, and a message that comes back after its visibility timeout is first again.
 */
final class FifoGroups implements MessageStore {
    private final Map<String, ArrayDeque<Message>> groups = new LinkedHashMap<>();

    @Override
    public void add(Message m, long now) {
        groups.computeIfAbsent(m.groupId, g -> new ArrayDeque<>()).add(m);
    }

    @Override
    public void receive(long now, int max, Taker taker) {
        int taken = 0;
        Iterator<Map.Entry<String, ArrayDeque<Message>>> it = groups.entrySet().iterator();
        while (it.hasNext() && taken < max) {
            ArrayDeque<Message> group = it.next().getValue();
            Iterator<Message> mi = group.iterator();
            while (mi.hasNext() && taken < max) {
                Message m = mi.next();
                if (m.visibleAt > now) {
                    break; // in flight or delayed: the rest of the group waits
                }
                if (taker.take(m)) {
                    taken++;
                } else {
                    m.gone = true;
                    mi.remove();
                }
            }
            if (group.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public void remove(Message m) {
        ArrayDeque<Message> group = groups.get(m.groupId);
        if (group != null) {
            group.remove(m);
            if (group.isEmpty()) {
                groups.remove(m.groupId);
            }
        }
        m.gone = true;
    }

    @Override
    public void reschedule(Message m, long visibleAt) {
        m.visibleAt = visibleAt;
    }

    @Override
    public long[] counts(long now) {
        long visible = 0;
        long inFlight = 0;
        long delayed = 0;
        for (ArrayDeque<Message> group : groups.values()) {
            for (Message m : group) {
                if (m.visibleAt <= now) {
                    visible++;
                } else if (m.receiveCount > 0) {
                    inFlight++;
                } else {
                    delayed++;
                }
            }
        }
        return new long[] {visible, inFlight, delayed};
    }

    @Override
    public List<Message> clear() {
        List<Message> all = new ArrayList<>();
        groups.values().forEach(all::addAll);
        groups.clear();
        all.forEach(m -> m.gone = true);
        return all;
    }

    @Override
    public List<Message> drainAvailable(long now, int max) {
        List<Message> out = new ArrayList<>();
        Iterator<Map.Entry<String, ArrayDeque<Message>>> it = groups.entrySet().iterator();
        while (it.hasNext() && out.size() < max) {
            ArrayDeque<Message> group = it.next().getValue();
            while (!group.isEmpty() && out.size() < max && group.peekFirst().visibleAt <= now) {
                Message m = group.pollFirst();
                m.gone = true;
                out.add(m);
            }
            if (group.isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    @Override
    public long nextVisibleAt() {
        long next = Long.MAX_VALUE;
        for (ArrayDeque<Message> group : groups.values()) {
            Message first = group.peekFirst();
            if (first != null) {
                next = Math.min(next, first.visibleAt);
            }
        }
        return next;
    }
}
