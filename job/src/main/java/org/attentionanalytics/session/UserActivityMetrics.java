package org.attentionanalytics.session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Gauge;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.pipeline.CountedName;
import org.attentionanalytics.pipeline.PipelineCounters;

/**
 * The per-user operator's metrics ({@link PipelineCounters}): the counters {@link
 * UserActivityProcessor} names, and two gauges. {@code openSessions}: sessions of this subtask's
 * users neither closed nor superseded (kept in operator state by {@link UserActivityFunction}, so
 * it survives failovers; after a rescale only the sum over subtasks is meaningful). {@code
 * eventTimeLagMs}: wall clock minus the operator's watermark, ms; -1 before the first.
 */
final class UserActivityMetrics {
    private static final List<String> COUNTERS = List.of(
            PipelineCounters.DUPLICATES,
            PipelineCounters.DUPLICATE_VIEWS,
            PipelineCounters.LATE_EVENTS,
            PipelineCounters.SESSIONS_STARTED,
            PipelineCounters.SESSIONS_CLOSED,
            PipelineCounters.SESSIONS_SUPERSEDED,
            PipelineCounters.UNKNOWN_TOPIC_EVENTS,
            PipelineCounters.PAGE_VIEW_RECORDS,
            PipelineCounters.INTEREST_VECTORS,
            PipelineCounters.ERASURES,
            PipelineCounters.ALERTS_SUPPRESSED_AGE,
            PipelineCounters.ALERTS_OPTED_OUT,
            PipelineCounters.ALERTS_CAPPED,
            PipelineCounters.DAILY_REPORTS,
            PipelineCounters.FOCUS_BLOCK_REPORTS,
            PipelineCounters.FOCUS_BLOCKS_LATE);

    private final Map<String, CountedName> counters = new HashMap<>();
    /** Written by the task thread only; read by the metric reporter. */
    private volatile long openSessions;

    private volatile long lastWatermark = Long.MIN_VALUE;

    UserActivityMetrics(RuntimeContext context, long openSessions) {
        this.openSessions = openSessions;
        for (String name : COUNTERS) {
            counters.put(name, CountedName.register(context, name));
        }
        for (AlertType type : AlertType.values()) {
            counters.put(PipelineCounters.alerts(type), CountedName.register(context, PipelineCounters.alerts(type)));
        }
        context.getMetricGroup().gauge(PipelineCounters.OPEN_SESSIONS, (Gauge<Long>) () -> this.openSessions);
        context.getMetricGroup().gauge(PipelineCounters.EVENT_TIME_LAG_MS, (Gauge<Long>) this::eventTimeLagMs);
    }

    /** Adds {@code n} to the counter {@code name}. */
    void count(String name, long n) {
        counters.get(name).add(n);
    }

    void openSessions(long delta) {
        openSessions += delta;
    }

    long openSessions() {
        return openSessions;
    }

    void seeWatermark(long watermark) {
        lastWatermark = watermark;
    }

    /** @return wall clock minus the last watermark seen, ms; -1 before the first watermark */
    long eventTimeLagMs() {
        long w = lastWatermark;
        return w == Long.MIN_VALUE ? -1 : Math.max(0, System.currentTimeMillis() - w);
    }
}
