package org.attentionanalytics.attention;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.DayState;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewTally;

/**
 * The daily attention reports of one user (DESIGN.md sections 8 and 13): the tallies of each
 * unreported local day in its {@link DayState} (engaged ms by category and by class, focused ms,
 * sessions started, the longest of them, alerts by type, the {@link ViewSequence} measures) and the {@link DailyAttentionReport} of the day once the
 * watermark passes its end plus the inactivity gap plus the allowed lateness. Times are epoch ms.
 */
final class DailyReports implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final AlertType[] TYPES = AlertType.values();

    private final long gapMs;
    private final long latenessMs;
    private final long breakGapMs;
    private final LocalDays days;

    DailyReports(AttentionSettings settings, LocalDays days) {
        this.gapMs = settings.gapMs();
        this.latenessMs = settings.latenessMs();
        this.breakGapMs = settings.breakGapMs();
        this.days = days;
    }

    /** A view of category index {@code category}, class {@code cls}, started at {@code t}: counted on its local day. */
    void viewStarted(AttentionState a, int category, CategoryClass cls, long t) {
        DayState day = days.dayFor(a, t, true);
        if (day != null) {
            ViewSequence.viewStarted(tally(day), category, cls, t, breakGapMs);
        }
    }

    /**
     * {@code ms} engaged ms in {@code category} (of class {@code cls}) at event time {@code t},
     * added to a view that had {@code before}: counted on the local day of {@code t}, which is
     * returned (null for a day already reported). When the view reaches {@value
     * AttentionSettings#FOCUSED_FROM_MS} ms, its whole engaged time so far becomes focused on that
     * day (so a view that crosses just after midnight moves earlier time into the new day's focused
     * ms: the focus ratio is clamped); later dwell of the view is focused on the day of each dwell.
     */
    DayState engaged(AttentionState a, int category, CategoryClass cls, long before, long ms, long t) {
        DayState day = days.dayFor(a, t, true);
        if (day == null || ms <= 0) {
            return null;
        }
        List<Long> engaged = day.getEngaged();
        while (engaged.size() <= category) {
            engaged.add(0L);
        }
        engaged.set(category, engaged.get(category) + ms);
        List<Long> classes = day.getClassMs();
        while (classes.size() <= cls.ordinal()) {
            classes.add(0L);
        }
        classes.set(cls.ordinal(), classes.get(cls.ordinal()) + ms);
        ViewSequence.engaged(tally(day), cls, Math.max(t - ms, days.start(a, day)), t, breakGapMs);
        long focusFrom = AttentionSettings.FOCUSED_FROM_MS;
        if (before >= focusFrom) {
            day.setFocusedMs(day.getFocusedMs() + ms);
        } else if (before + ms >= focusFrom) {
            day.setFocusedMs(day.getFocusedMs() + before + ms);
        }
        return day;
    }

    private static ViewTally tally(DayState day) {
        if (day.getTally() == null) {
            day.setTally(ViewSequence.empty());
        }
        return day.getTally();
    }

    /** A session started at {@code start}: counted on its local day. */
    void sessionStarted(AttentionState a, long start) {
        DayState day = days.dayFor(a, start, true);
        if (day != null) {
            day.setSessions(day.getSessions() + 1);
        }
    }

    /** A session that started at {@code start} was merged into an earlier one: it no longer counts. */
    void sessionSuperseded(AttentionState a, long start) {
        DayState day = days.dayFor(a, start, false);
        if (day != null && day.getSessions() > 0) {
            day.setSessions(day.getSessions() - 1);
        }
    }

    /** Session {@code s} closed or leaves state: its duration is a candidate for its start day's longest. */
    void longest(AttentionState a, SessionState s) {
        DayState day = days.dayFor(a, s.getStart(), false);
        if (day != null) {
            day.setLongestSessionMs(Math.max(day.getLongestSessionMs(), s.getEnd() - s.getStart()));
        }
    }

    /** Sessions about to leave state ({@code end + gap + lateness <= watermark}) leave their duration on their start day. */
    void beforeCleanUp(UserState st, long watermark) {
        AttentionState a = st.getAttention();
        if (a == null) {
            return;
        }
        for (SessionState s : st.getSessions()) {
            if (s.getClosed() && s.getEnd() + gapMs + latenessMs <= watermark) {
                longest(a, s);
            }
        }
    }

    /**
     * An alert of {@code type} at event time {@code t} counts on its local day, whether it is sent or
     * held back by {@code alerts.max-age}, so a report does not depend on when it was computed.
     */
    void alertRaised(AttentionState a, AlertType type, long t) {
        DayState day = days.dayFor(a, t, false);
        if (day != null) {
            List<Integer> alerts = day.getAlerts();
            while (alerts.size() < TYPES.length) {
                alerts.add(0);
            }
            alerts.set(type.ordinal(), alerts.get(type.ordinal()) + 1);
        }
    }

    /**
     * Emits the report of every day whose end plus the inactivity gap plus the allowed lateness the
     * watermark has reached, in date order, and forgets those days. The longest session counts the
     * sessions still in state too; the zone is the one at the day's last millisecond.
     *
     * @return true when a day was reported (and forgotten)
     */
    boolean emit(UserState st, String user, long watermark, AttentionTracker.Output out) {
        AttentionState a = st.getAttention();
        if (a == null || a.getDays().isEmpty()) {
            return false;
        }
        List<DayState> all = a.getDays();
        List<DayState> kept = new ArrayList<>(all.size());
        for (DayState day : all) {
            if (deadline(day) > watermark) {
                kept.add(day);
                continue;
            }
            ZoneId zone = days.zoneAt(a, day.getEnd() - 1);
            long start = LocalDays.dayStart(day.getDate(), zone);
            long longest = day.getLongestSessionMs();
            for (SessionState s : st.getSessions()) {
                if (s.getStart() >= start && s.getStart() < day.getEnd()) {
                    longest = Math.max(longest, s.getEnd() - s.getStart());
                }
            }
            out.report(report(a, day, user, zone, longest));
            UsageBaseline.remember(a, day);
            a.setLastReportedDate(Math.max(a.getLastReportedDate(), day.getDate()));
        }
        if (kept.size() == all.size()) {
            return false;
        }
        a.setDays(kept);
        return true;
    }

    private static DailyAttentionReport report(AttentionState a, DayState day, String user, ZoneId zone, long longest) {
        Map<String, Long> engaged = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < day.getEngaged().size(); i++) {
            long ms = day.getEngaged().get(i);
            if (ms > 0) {
                engaged.put(a.getCategories().get(i), ms);
                total += ms;
            }
        }
        Map<String, Integer> alerts = new LinkedHashMap<>();
        for (AlertType type : TYPES) {
            alerts.put(
                    type.name(),
                    type.ordinal() < day.getAlerts().size() ? day.getAlerts().get(type.ordinal()) : 0);
        }
        double focus = total == 0 ? 0 : Math.min(1.0, Math.max(0.0, day.getFocusedMs() / (double) total));
        ViewTally tally = day.getTally() == null ? ViewSequence.empty() : day.getTally();
        List<Long> classes = day.getClassMs();
        // the classed engaged time: all of it, but on a day begun before an upgrade to these measures,
        // what came since, as the views counted in the tally
        long classed = classes.stream().mapToLong(Long::longValue).sum();
        return DailyAttentionReport.newBuilder()
                .setUser(user)
                .setDate(LocalDate.ofEpochDay(day.getDate()))
                .setZone(zone.getId())
                .setEngagedMsByCategory(engaged)
                .setSessions(day.getSessions())
                .setLongestSessionMs(longest)
                .setAlerts(alerts)
                .setFocusRatio(focus)
                .setFocusMs(classMs(classes, CategoryClass.FOCUS))
                .setNeutralMs(classMs(classes, CategoryClass.NEUTRAL))
                .setDistractionMs(classMs(classes, CategoryClass.DISTRACTION))
                .setContextSwitches(tally.getSwitches())
                .setMeanAttentionSpanMs(tally.getViews() == 0 ? 0 : classed / tally.getViews())
                .setLongestFocusMs(ViewSequence.longestRunMs(tally))
                .build();
    }

    private static long classMs(List<Long> classes, CategoryClass cls) {
        return cls.ordinal() < classes.size() ? classes.get(cls.ordinal()) : 0L;
    }

    /** @return the earliest watermark at which a day's report is due, or MAX_VALUE */
    long nextDeadline(AttentionState a) {
        long next = Long.MAX_VALUE;
        if (a != null) {
            for (DayState d : a.getDays()) {
                next = Math.min(next, deadline(d));
            }
        }
        return next;
    }

    /** @return the watermark at which the report of {@code day} is due: end of day + gap + lateness */
    private long deadline(DayState day) {
        return day.getEnd() + gapMs + latenessMs;
    }
}
