package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * At most one live record per user per interval of processing time ({@code --live.min-interval}):
 * a user whose last record went out less than the interval ago is held, and goes out when {@link
 * #due} finds the interval passed, with everything that arrived meanwhile. Users are kept in the
 * order of their last record, so {@link #due} reads only the users whose interval has passed, and
 * forgets those not held: memory follows the users of the last interval. Heap only, not state:
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
    /** Users by the processing time (ms) of their last record, oldest first. */
    private final LinkedHashMap<String, Sent> sent = new LinkedHashMap<>();

    /** @param intervalMs least processing time between two records of a user, ms (0: no limit) */
    LiveThrottle(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /**
     * @param now processing time, ms (not decreasing from call to call)
     * @return true when {@code user}'s record goes out now (counted as sent); false when it is held
     */
    boolean offer(String user, long now) {
        if (intervalMs == 0) {
            return true;
        }
        Sent s = sent.get(user);
        if (s == null || now - s.at >= intervalMs) {
            markSent(user, now);
            return true;
        }
        s.held = true;
        return false;
    }

    private void markSent(String user, long now) {
        sent.remove(user);
        sent.put(user, new Sent(now));
    }

    /** @return whether users are held */
    boolean hasHeld() {
        return sent.values().stream().anyMatch(s -> s.held);
    }

    /** @return when {@link #due} next has something to do (ms); Long.MAX_VALUE when nobody is remembered */
    long nextDue() {
        return sent.isEmpty() ? Long.MAX_VALUE : sent.values().iterator().next().at + intervalMs;
    }

    /** @return users remembered (sent within the last interval, or held) */
    int size() {
        return sent.size();
    }

    /**
     * Removes and returns the held users whose interval has passed at {@code now} (counted as sent
     * now), and forgets the users sent an interval ago or more that are not held.
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
        for (String user : due) {
            markSent(user, now);
        }
        return due;
    }

    /** Removes and returns every held user (a barrier, the end of input). */
    List<String> drain() {
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            if (e.getValue().held) {
                all.add(e.getKey());
                e.getValue().held = false;
            }
        }
        return all;
    }
}
