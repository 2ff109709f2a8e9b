package org.attentionanalytics.bench;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The latency of live vectors per event, not per record: for each event of the measured window,
 * the time from its append (its event time is the wall clock at send) to the first live record of
 * its user whose {@code as_of} is at or after it, as the consumer reads it. A record that reflects
 * several events (a burst, or events held by {@code --live.min-interval}) counts once for each.
 * Events never reflected before the run ends are counted apart ({@link #unreflected}). Thread-safe:
 * the producer appends, the consumer reads.
 */
final class LiveReflection {
    private final Map<String, ArrayDeque<Long>> waiting = new HashMap<>();
    private final Histogram latency = new Histogram(3);
    private long appended;

    /** The producer sent an event of {@code pseudonym} at {@code appendMs} (its event time). */
    synchronized void appended(String pseudonym, long appendMs) {
        waiting.computeIfAbsent(pseudonym, k -> new ArrayDeque<>()).addLast(appendMs);
        appended++;
    }

    /** The consumer read, at {@code nowMs}, a live record of {@code pseudonym} as of {@code asOfMs}. */
    synchronized void seen(String pseudonym, long asOfMs, long nowMs) {
        ArrayDeque<Long> q = waiting.get(pseudonym);
        if (q == null) {
            return;
        }
        while (!q.isEmpty() && q.peekFirst() <= asOfMs) {
            latency.recordValue(Math.max(0, nowMs - q.pollFirst()));
        }
        if (q.isEmpty()) {
            waiting.remove(pseudonym);
        }
    }

    /** @return the latencies of the reflected events, ms (a copy) */
    synchronized Histogram latency() {
        return latency.copy();
    }

    /** @return events of the window sent */
    synchronized long appended() {
        return appended;
    }

    /** @return events of the window no live record reflected */
    synchronized long unreflected() {
        long n = 0;
        for (ArrayDeque<Long> q : waiting.values()) {
            n += q.size();
        }
        return n;
    }
}
