package org.attentionanalytics.attention;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BlockOccurrence;
import org.attentionanalytics.avro.internal.DayState;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;

/**
 * Attention metrics, alerts, budgets, daily reports and focus blocks of one user (DESIGN.md sections 7, 8 and 13),
 * on the {@link AttentionState} inside {@link UserState}. Plain Java, no Flink: the per-user
 * operator calls it in event-time order, around {@code SessionTracker} ({@link #beginEvent}, the
 * tracker's callbacks {@link #viewStarted} and {@link #engaged}, then {@link #afterEvent}), for
 * budgets ({@link #applyBudget}) and when the watermark moves ({@link #emitReports}). Times are
 * epoch ms.
 *
 * <p>It routes each call to the engines, one concern each: {@link RollingWindow}, {@link
 * ContinuousUse}, {@link Budgets}, {@link LocalDays}, {@link CategoryAttribution}, {@link Alerts},
 * {@link DailyReports}, {@link UsageBaseline}, {@link FocusBlocks}, {@link Pomodoro} and {@link
 * FocusAlerts}, and holds the rules that connect them: a late budget re-checks the unreported days,
 * reported days let old budgets go and join the usage baseline.
 */
public final class AttentionTracker implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where alerts, reports and contributions go. */
    public interface Output {
        /** An alert for a user who did not opt out (max-age is the caller's business). */
        void alert(AttentionAlert alert);

        /** A daily report. */
        void report(DailyAttentionReport report);

        /** An alert of {@code type} was raised for a user who opted out: not sent. */
        default void optedOut(AlertType type) {}

        /** An alert of {@code type} was raised beyond the user's daily cap: not sent. */
        default void capped(AlertType type) {}

        /** The report of a focus-block occurrence (DESIGN.md section 13). */
        default void blockReport(FocusBlockReport report) {}

        /**
         * Everything attributed to a category passes here: {@code views} views started at {@code t}
         * (1 or 0), {@code engagedMs} engaged ms at event time {@code t}. Per-hour per-category
         * consumers (topic trends) hook in here.
         */
        default void contribution(String category, long t, long engagedMs, int views) {}
    }

    private final AttentionSettings settings;
    private final RollingWindow window;
    private final ContinuousUse continuousUse;
    private final Budgets budgets;
    private final LocalDays days;
    private final CategoryAttribution attribution;
    private final DailyReports reports;
    private final Alerts alerts;
    private final FocusBlocks blocks;
    private final FocusAlerts focusAlerts;

    public AttentionTracker(AttentionSettings settings) {
        this.settings = settings;
        this.window = new RollingWindow(settings);
        this.continuousUse = new ContinuousUse(settings);
        this.budgets = new Budgets(settings);
        this.days = new LocalDays(settings);
        this.attribution = new CategoryAttribution(settings);
        this.reports = new DailyReports(settings, days);
        this.alerts = new Alerts(settings, days, reports);
        this.blocks = new FocusBlocks(settings, days);
        this.focusAlerts = new FocusAlerts(settings, alerts);
    }

    public AttentionSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- per event

    /**
     * Before the session tracker sees a click or dwell event: the latest time, the zone, the day; a
     * pomodoro break that ended before the event's covered time ({@link Pomodoro}).
     */
    public void beginEvent(UserState st, String user, AttentionEvent e) {
        AttentionState a = attention(st);
        long t = e.getEventTime();
        if (e.getTimeZone() != null) {
            a.setEventZone(e.getTimeZone());
        }
        RollingWindow.advance(a, t);
        days.dayFor(a, t, true); // a day with events has a report, with or without dwell
        BlockOccurrence o = blocks.at(a, user, t, false);
        if (o != null) {
            Pomodoro.activity(o, t - e.getDwellMs());
        }
    }

    /**
     * Session tracker callback: a view started; counts it and its topic switch, attributes it to its
     * category, on its day and in the focus block that holds it.
     */
    public void viewStarted(UserState st, String user, SessionState session, ViewState v, Output out) {
        AttentionState a = attention(st);
        int main = CategoryAttribution.mainTopic(v.getTopics(), v.getTopicWeights());
        int category = attribution.categoryIndex(st, a, main);
        String name = a.getCategories().get(category);
        out.contribution(name, v.getTime(), 0, 1);
        window.viewStarted(
                a, v.getTime(), main < 0 ? null : st.getTopicDictionary().get(main));
        reports.viewStarted(a, category, settings.rules().classOf(name), v.getTime());
        BlockOccurrence o = blocks.at(a, user, v.getTime(), true);
        if (o != null) {
            blocks.viewStarted(o, category, name, v.getTime());
        }
    }

    /**
     * Session tracker callback: {@code ms} engaged ms added at event time {@code t} to a view that
     * had {@code before}; {@code topics}/{@code shares} decide the category (of the main topic).
     */
    public void engaged(
            UserState st,
            String user,
            List<Integer> topics,
            List<Double> shares,
            long before,
            long ms,
            long t,
            Output out) {
        AttentionState a = attention(st);
        int category = attribution.categoryIndex(st, a, CategoryAttribution.mainTopic(topics, shares));
        String name = a.getCategories().get(category);
        DayState day = reports.engaged(a, category, settings.rules().classOf(name), before, ms, t);
        out.contribution(name, t, ms, 0);
        if (ms <= 0) {
            return;
        }
        if (day != null && !day.getUnusualAlerted().contains(category)) {
            UsageBaseline.Threshold threshold = UsageBaseline.threshold(a, category, day.getDate());
            long today = day.getEngaged().get(category);
            if (threshold != null && today >= threshold.ms()) {
                day.getUnusualAlerted().add(category);
                focusAlerts.unusual(a, user, name, today, threshold, t, sessionAt(st, t), out);
            }
        }
        for (FocusBlocks.Part part : blocks.overlapping(a, user, t - ms, t)) {
            BlockOccurrence o = part.occurrence();
            Pomodoro.activity(o, part.at() - part.ms()); // engaged time covering a pause undoes its reset
            if (blocks.engaged(o, category, name, part.ms(), part.at()) == CategoryClass.DISTRACTION
                    && !o.getDistractionAlerted()
                    && o.getClassMs().get(CategoryClass.DISTRACTION.ordinal()) >= settings.distractionAfterMs()) {
                o.setDistractionAlerted(true);
                focusAlerts.distracted(a, user, o, name, t, sessionAt(st, t), out);
            }
        }
    }

    /** Session tracker callback: a session started (counted on the local day of its start). */
    public void sessionStarted(UserState st, SessionState s) {
        reports.sessionStarted(attention(st), s.getStart());
    }

    /** A session that started at {@code start} was merged into an earlier one: it no longer counts. */
    public void sessionSuperseded(UserState st, long start) {
        reports.sessionSuperseded(attention(st), start);
    }

    /** A session closed: its views not classified yet are, the last one ending at the session's end. */
    public void sessionClosed(UserState st, SessionState s) {
        AttentionState a = attention(st);
        RollingWindow.classifyAll(a, s);
        reports.longest(a, s);
    }

    /**
     * After a click or dwell event was applied by the session tracker: the stretch of continuous use,
     * views settled by now, then the alerts at the event's time.
     *
     * @return the recommendation mode the user's attention now calls for ({@link RecommendationModes}),
     *     from the rolling window the alerts used
     */
    public RecommendationMode afterEvent(UserState st, String user, AttentionEvent e, Output out) {
        AttentionState a = attention(st);
        long t = e.getEventTime();
        continuousUse.cover(a, e);
        for (SessionState s : st.getSessions()) {
            window.classifySettled(a, s, t);
        }
        RollingWindow.Window w = alerts.afterEvent(a, user, t, sessionAt(st, t), out);
        BlockOccurrence o = blocks.at(a, user, t, false);
        if (o != null) {
            long breakMs = Pomodoro.covered(o, t);
            if (breakMs > 0) {
                focusAlerts.pomodoro(a, user, o, breakMs, t, sessionAt(st, t), out);
            }
        }
        return RecommendationModes.mode(w, a.getBreakAlerted(), settings);
    }

    // ---------------------------------------------------------------- focus blocks

    /**
     * A {@code FocusBlocks} record (a FOCUS_BLOCKS event: event time = {@code updated_at}) reaches
     * its time: its blocks replace the previous ones from then on (DESIGN.md section 13).
     *
     * @param watermark the current watermark (ms): records needed by events up to the allowed
     *     lateness behind it are kept
     */
    public void applyFocusBlocks(UserState st, AttentionEvent record, long watermark) {
        AttentionState a = attention(st);
        FocusBlocks.add(a, record);
        // waiting events between the record and the watermark still need it: prune as of its own time
        blocks.prune(a, Math.min(watermark, record.getEventTime()));
    }

    // ---------------------------------------------------------------- budgets

    /**
     * An {@code AttentionBudget} (a BUDGET event: event time = {@code updated_at}) reaches its time:
     * adds it to the timeline, re-checks the unreported days that end after it (a day already over
     * the new budget gets its alert at {@code max(updated_at, start of the day)}), and drops entries
     * no longer needed.
     *
     * @param watermark the current watermark (ms): entries needed by events up to the allowed
     *     lateness behind it are kept
     */
    public void applyBudget(UserState st, String user, AttentionEvent budget, long watermark, Output out) {
        AttentionState a = attention(st);
        long from = Budgets.add(a, budget).getFrom();
        for (DayState day : new ArrayList<>(a.getDays())) {
            if (day.getEnd() <= from) {
                continue;
            }
            long t = Math.max(from, days.start(a, day));
            alerts.budgets(a, user, day, t, sessionAt(st, t), out);
        }
        budgets.prune(a, watermark);
    }

    // ---------------------------------------------------------------- days and reports

    /**
     * Emits the report of every day whose end plus the inactivity gap plus the allowed lateness the
     * watermark has reached, in date order, and forgets those days (and the budgets only they needed).
     */
    public void emitReports(UserState st, String user, long watermark, Output out) {
        if (reports.emit(st, user, watermark, out)) {
            budgets.prune(st.getAttention(), watermark);
        }
        if (st.getAttention() != null) {
            blocks.emit(st.getAttention(), user, watermark, out);
        }
    }

    /** Sessions about to leave state ({@code end + gap + lateness <= watermark}) leave their duration on their start day. */
    public void beforeCleanUp(UserState st, long watermark) {
        reports.beforeCleanUp(st, watermark);
    }

    /** @return the earliest watermark at which a day's or a focus block's report is due, or MAX_VALUE */
    public long nextDeadline(UserState st) {
        return Math.min(reports.nextDeadline(st.getAttention()), blocks.nextDeadline(st.getAttention()));
    }

    /**
     * @return true when no unreported day, budget, focus block, open occurrence or usage history is
     *     left (the state may go)
     */
    public static boolean isEmpty(UserState st) {
        AttentionState a = st.getAttention();
        return a == null
                || (a.getDays().isEmpty()
                        && a.getBudgets().isEmpty()
                        && a.getBlockTimeline().isEmpty()
                        && a.getOpenBlocks().isEmpty()
                        && a.getUsageHistory().isEmpty());
    }

    // ---------------------------------------------------------------- alert ids

    /**
     * @return hex of the first 16 bytes of SHA-256 of {@code pseudonym|TYPE|t|category} ({@code
     *     category} empty for types without one): the same alert gets the same id in every run
     */
    public static String alertId(String user, AlertType type, long t, String category) {
        return Alerts.alertId(user, type, t, category);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * @return the session holding {@code t} ({@code start <= t <= end}), else the one {@code t}
     *     extends (an alert raised by engaged time inferred at the event that extends it), or null
     */
    private String sessionAt(UserState st, long t) {
        for (SessionState s : st.getSessions()) {
            if (s.getStart() <= t && t <= s.getEnd()) {
                return s.getSessionId();
            }
        }
        for (SessionState s : st.getSessions()) { // engaged time inferred at an event that extends s to t
            if (s.getStart() <= t && t < s.getEnd() + settings.gapMs()) {
                return s.getSessionId();
            }
        }
        return null;
    }

    /**
     * Remembers what the recommendations were told: the mode and a hash of the FOCUSED top topics
     * and the spent budget categories (0 for neither).
     *
     * @return whether that differs from what they were told last, so that a MODE signal is due
     */
    public boolean tellRecommendations(UserState st, RecommendationMode mode, long topicsHash) {
        AttentionState a = attention(st);
        boolean changed = !mode.name().equals(a.getRecsMode()) || a.getRecsTopicsHash() != topicsHash;
        a.setRecsMode(mode.name());
        a.setRecsTopicsHash(topicsHash);
        return changed;
    }

    /**
     * @return the categories whose daily budget the user has spent on the local day of {@code t}
     *     (TIME_BUDGET_EXCEEDED raised, sent or not), by name; empty without a budget or a day
     */
    public List<String> spentCategories(UserState st, long t) {
        AttentionState a = st.getAttention();
        if (a == null || a.getBudgets().isEmpty()) {
            return List.of(); // most users: no day to look up on every event
        }
        DayState day = days.dayFor(a, t, false);
        if (day == null || day.getBudgetAlerted().isEmpty()) {
            return List.of();
        }
        List<String> spent = new ArrayList<>();
        for (int index : day.getBudgetAlerted()) {
            spent.add(a.getCategories().get(index));
        }
        spent.sort(null);
        return spent;
    }

    /** @return the user's attention state, created with empty buckets when missing */
    static AttentionState attention(UserState st) {
        AttentionState a = st.getAttention();
        if (a == null) {
            a = RollingWindow.withEmptyBuckets(AttentionState.newBuilder())
                    .setCategories(new ArrayList<>())
                    .setBudgets(new ArrayList<>())
                    .setDays(new ArrayList<>())
                    .setUsageHistory(new ArrayList<>())
                    .setBlockTimeline(new ArrayList<>())
                    .setOpenBlocks(new ArrayList<>())
                    .build();
            st.setAttention(a);
        }
        return a;
    }
}
