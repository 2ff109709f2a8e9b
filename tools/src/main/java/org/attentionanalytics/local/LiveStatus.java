package org.attentionanalytics.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.pipeline.PipelineCounters;

/**
 * The one-line status a running local job prints every few seconds, from the job's accumulators
 * ({@link PipelineCounters}): events in per second (since the previous line) and in total, open
 * sessions (started - closed - superseded, never below 0) and closed ones, page-view records
 * written, alerts sent in total and
 * per type (non-zero types only), dead letters in total
 * and per reason (non-zero reasons only), duplicates, bots and the web UI address. Accumulators
 * restart from zero after a failover, so the figures are a guide, not the job's truth (that is the
 * metrics in the web UI). Not thread-safe: one instance per loop.
 */
public final class LiveStatus {
    private final String webUiUrl;
    private long previousEvents = -1;
    private long previousNanos;

    /** @param webUiUrl shown at the end of every line */
    public LiveStatus(String webUiUrl) {
        this.webUiUrl = webUiUrl;
    }

    /**
     * @param accumulators the job's accumulators by name (missing ones count as 0)
     * @param nowNanos a {@link System#nanoTime()} reading, for the rate
     * @return the status line, without a newline
     */
    public String render(Map<String, Object> accumulators, long nowNanos) {
        long events = count(accumulators, PipelineCounters.EVENTS_IN);
        double perSecond = 0;
        if (previousEvents >= 0 && nowNanos > previousNanos) {
            perSecond = Math.max(0, events - previousEvents) * 1e9 / (nowNanos - previousNanos);
        }
        previousEvents = events;
        previousNanos = nowNanos;

        long started = count(accumulators, PipelineCounters.SESSIONS_STARTED);
        long closed = count(accumulators, PipelineCounters.SESSIONS_CLOSED);
        long superseded = count(accumulators, PipelineCounters.SESSIONS_SUPERSEDED);
        long open = Math.max(0, started - closed - superseded);

        return String.format(
                Locale.ROOT,
                "events %,.0f/s (%,d total) | sessions %,d open, %,d closed | page-view records %,d | alerts %s | dead letters %s | duplicates %,d | bots %,d | %s",
                perSecond,
                events,
                open,
                closed,
                count(accumulators, PipelineCounters.PAGE_VIEW_RECORDS),
                totalAndBreakdown(accumulators, AlertType.values(), PipelineCounters::alerts),
                totalAndBreakdown(accumulators, DeadLetterReason.values(), PipelineCounters::deadLetters),
                count(accumulators, PipelineCounters.DUPLICATES),
                count(accumulators, PipelineCounters.BOTS),
                webUiUrl);
    }

    /** e.g. {@code 12 (UNDECODABLE 2, TOO_LATE 10)}: the sum of the per-kind counters and the non-zero ones. */
    private static <E extends Enum<E>> String totalAndBreakdown(
            Map<String, Object> accumulators, E[] kinds, Function<E, String> counterName) {
        long total = 0;
        List<String> parts = new ArrayList<>();
        for (E kind : kinds) {
            long n = count(accumulators, counterName.apply(kind));
            total += n;
            if (n > 0) {
                parts.add(String.format(Locale.ROOT, "%s %,d", kind.name(), n));
            }
        }
        return String.format(Locale.ROOT, "%,d", total)
                + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    /** @return the accumulator {@code name} as a long; 0 when missing or not a number */
    public static long count(Map<String, Object> accumulators, String name) {
        return asLong(accumulators.get(name));
    }

    /** @return {@code value} as a long when it is a {@link Number}, else 0 (also for null) */
    public static long asLong(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
