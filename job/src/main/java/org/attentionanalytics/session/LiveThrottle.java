package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When a user's live record goes out ({@code --live.min-interval}, {@code --live.linger}): at most
 * one per interval of processing time, and the first after a quiet interval waits the linger, so
 * that the events arriving with it (a view and its click, a producer's retry) go out in the same
 * record rather than the second waiting the whole interval (as a Kafka producer's {@code linger.ms}
 * batches records). A user whose last record went out less than the interval ago is held, and goes
 * out when {@link #due} finds the interval passed, with everything that arrived meanwhile. Users
 * are kept in the order they become due, so {@link #due} reads only the users whose time has come,
 * and forgets those not held: memory follows the users of the last interval. Heap only, not state:
 * after a restore every user may send at once. Used by the task thread only.
 */
final class LiveThrottle {
    /** A user sent within the last interval. */
    private static final class Sent {
        final long at;
        boolean held;

        Sent(long at) {
            this.at = at;
        }
    }

    private final long intervalMs;
    private final long lingerMs;
    /** Users by the processing time (ms) of their last record, oldest first. */
    private final LinkedHashMap<String, Sent> sent = new LinkedHashMap<>();
    /** Users whose first record waits the linger, by the processing time (ms) of its first event, oldest first. */
    private final LinkedHashMap<String, Long> lingering = new LinkedHashMap<>();

    /**
     * @param intervalMs least processing time between two records of a user, ms (0: no limit)
     * @param lingerMs how long the first record after a quiet interval waits for more events, ms
     *     (0: it goes out at once); less than {@code intervalMs}
     */
    LiveThrottle(long intervalMs, long lingerMs) {
        this.intervalMs = intervalMs;
        this.lingerMs = lingerMs;
    }

    /**
     * @param now processing time, ms (not decreasing from call to call)
     * @return true when {@code user}'s record goes out now (counted as sent); false when it is held
     */
    boolean offer(String user, long now) {
        if (lingering.containsKey(user)) {
            return false;
        }
        Sent s = sent.get(user);
        if (s != null && now - s.at < intervalMs) {
            s.held = true;
            return false;
        }
        if (lingerMs > 0) {
            sent.remove(user);
            lingering.put(user, now);
            return false;
        }
        if (intervalMs > 0) {
            markSent(user, now);
        }
        return true;
    }

    private void markSent(String user, long now) {
        sent.remove(user);
        if (intervalMs > 0) {
            sent.put(user, new Sent(now));
        }
    }

    /** @return when {@link #due} next has something to do (ms); Long.MAX_VALUE when nobody is remembered */
    long nextDue() {
        long next = sent.isEmpty() ? Long.MAX_VALUE : sent.values().iterator().next().at + intervalMs;
        if (!lingering.isEmpty()) {
            next = Math.min(next, lingering.values().iterator().next() + lingerMs);
        }
        return next;
    }

    /** @return users remembered (sent within the last interval, held, or lingering) */
    int size() {
        return sent.size() + lingering.size();
    }

    /**
     * Removes and returns the users whose linger or interval has passed at {@code now} and who are
     * held (counted as sent now), and forgets the users sent an interval ago or more that are not.
     */
    List<String> due(long now) {
        List<String> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, Sent>> it = sent.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Sent> e = it.next();
            if (now - e.getValue().at < intervalMs) {
                break; // the later ones were sent later
            }
            if (e.getValue().held) {
                due.add(e.getKey());
            } else {
                it.remove();
            }
        }
        for (Iterator<Map.Entry<String, Long>> it = lingering.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() < lingerMs) {
                break; // the later ones arrived later
            }
            due.add(e.getKey());
            it.remove();
        }
        for (String user : due) {
            markSent(user, now);
        }
        return due;
    }

    /**
     * Removes and returns every held or lingering user (a barrier, the end of input), counted as
     * sent at {@code now}.
     */
    List<String> drain(long now) {
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            if (e.getValue().held) {
                all.add(e.getKey());
            }
        }
        all.addAll(lingering.keySet());
        lingering.clear();
        for (String user : all) {
            markSent(user, now);
        }
        return all;
    }
}
