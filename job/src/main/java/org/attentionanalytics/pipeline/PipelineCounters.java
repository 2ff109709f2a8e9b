package org.attentionanalytics.pipeline;

import org.attentionanalytics.avro.DeadLetterReason;

/**
 * Names of the job's counters. Each is both a Flink metric (web UI, reporters) and an accumulator
 * of the same name, so that a finished bounded run ({@code JobExecutionResult}) and a running one
 * ({@code JobClient#getAccumulators()}) can report them. Accumulators restart from zero after a
 * failover; the metrics are the operational truth.
 */
public final class PipelineCounters {
    /** Records read from the event topics that became events (after bots and dead letters). */
    public static final String EVENTS_IN = "eventsIn";
    /** Records read from {@code attention-budgets} that became BUDGET records (after dead letters). */
    public static final String BUDGETS_IN = "budgetsIn";
    /** Records read from {@code focus-blocks} that became FOCUS_BLOCKS records (after dead letters). */
    public static final String FOCUS_BLOCKS_IN = "focusBlocksIn";
    /** Records read from {@code privacy-requests} that became ERASURE records (after dead letters). */
    public static final String ERASURE_REQUESTS_IN = "erasureRequestsIn";
    /** Records read from {@code content-catalog} that became catalog updates or removals (after dead letters). */
    public static final String CATALOG_UPDATES_IN = "catalogUpdatesIn";
    /** Events dropped as duplicates (same event_id, same user, within the dedupe window). */
    public static final String DUPLICATES = "duplicates";
    /** VIEW events dropped because their view_id repeats a view the user's sessions hold (a re-sent page view). */
    public static final String DUPLICATE_VIEWS = "duplicateViews";
    /** Events dropped because their user_agent matched a bot rule. */
    public static final String BOTS = "bots";
    /** Events applied behind the watermark, within the allowed lateness. */
    public static final String LATE_EVENTS = "lateEvents";
    /** Sessions started (a merge does not start one). */
    public static final String SESSIONS_STARTED = "sessionsStarted";
    /** Sessions closed for the first time (a later CLOSED update of the same session is not counted). */
    public static final String SESSIONS_CLOSED = "sessionsClosed";
    /** Sessions merged into another (SUPERSEDED records). */
    public static final String SESSIONS_SUPERSEDED = "sessionsSuperseded";
    /** Events that had no topics (inline, from the catalog, or of their view): no interest signal. */
    public static final String UNKNOWN_TOPIC_EVENTS = "unknownTopicEvents";
    /** Page-view records written (a view's record goes out when it ends and again when it changes: DESIGN.md section 5). */
    public static final String PAGE_VIEW_RECORDS = "pageViewRecords";
    /** Interest vectors written. */
    public static final String INTEREST_VECTORS = "interestVectorsEmitted";
    /** Erasure requests applied by the per-user operator (DESIGN.md section 9). */
    public static final String ERASURES = "erasures";
    /**
     * Gauge: open sessions of the subtask (started - closed - superseded - dropped by an erasure),
     * kept in operator state so it survives restarts; the sum over the subtasks is the job's number
     * of open sessions.
     */
    public static final String OPEN_SESSIONS = "openSessions";
    /**
     * Gauge: wall clock minus the per-user operator's current watermark, ms (-1 before the first
     * watermark). At least the out-of-orderness bound in steady state; grows when the job falls
     * behind, and while the inputs are silent (the watermark does not move without events).
     */
    public static final String EVENT_TIME_LAG_MS = "eventTimeLagMs";
    /** Prefix of the per-type counters of alerts sent: {@code alerts.INFORMATION_OVERLOAD} etc. */
    public static final String ALERTS_PREFIX = "alerts.";
    /** Alerts raised but not sent because their event time was older than {@code alerts.max-age}. */
    public static final String ALERTS_SUPPRESSED_AGE = "alertsSuppressedAge";
    /** Alerts raised for users who opted out ({@code alerts_enabled} false): not sent. */
    public static final String ALERTS_OPTED_OUT = "alertsOptedOut";
    /** Alerts over the per-user daily cap ({@code --alerts.max-per-day}): not sent. */
    public static final String ALERTS_CAPPED = "alertsCapped";
    /** Daily reports written. */
    public static final String DAILY_REPORTS = "dailyReports";
    /**
     * FocusBlocks records applied behind the watermark: they govern what comes after, not the
     * activity already applied (DESIGN.md section 13).
     */
    public static final String FOCUS_BLOCKS_LATE = "focusBlocksLate";
    /** Focus-block reports written (DESIGN.md section 13). */
    public static final String FOCUS_BLOCK_REPORTS = "focusBlockReports";
    /** Prefix of the per-reason dead-letter counters: {@code deadLetters.UNDECODABLE} etc. */
    public static final String DEAD_LETTERS_PREFIX = "deadLetters.";

    private PipelineCounters() {}

    /** @return the counter name for alerts of a type sent, e.g. {@code alerts.TAKE_A_BREAK} */
    public static String alerts(org.attentionanalytics.avro.AlertType type) {
        return ALERTS_PREFIX + type.name();
    }

    /** @return the counter name for a dead-letter reason, e.g. {@code deadLetters.TOO_LATE} */
    public static String deadLetters(DeadLetterReason reason) {
        return DEAD_LETTERS_PREFIX + reason.name();
    }
}
