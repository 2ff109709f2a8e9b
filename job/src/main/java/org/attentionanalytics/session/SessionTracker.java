package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.common.Saturating;
import org.attentionanalytics.interest.InterestVectors;

/**
 * Sessionization of one user's events, DESIGN.md section 5, on the sessions held in {@link
 * UserState}. Plain Java, no Flink: {@link UserActivityProcessor} calls it in event-time order
 * (events wait in a buffer until the watermark passes them) and for late events within the
 * allowed lateness.
 *
 * <ul>
 *   <li>A session is a maximal run of events (clicks and dwell) whose gaps are below the
 *       inactivity gap; a gap of exactly the gap starts a new session. An event at or beyond
 *       {@code start + maxDuration} starts a new session (the 12 h cap).
 *   <li>{@code --sessions client}: the events with one tracker session id are one session,
 *       whatever the gaps; it closes after the gap and reopens under its id when another of its
 *       events comes (the cap is enforced before, by {@link ClientSessionRouting}).
 *   <li>A late event that bridges two sessions merges them: the earlier start keeps its id, the
 *       later id gets a SUPERSEDED record. A late event that extends a CLOSED session yields a new
 *       CLOSED record under the same id (or reopens it when its new end plus the gap is ahead of
 *       the watermark).
 *   <li>Engaged time: the sum of dwell and heartbeat increments, attributed to views by {@link
 *       EngagedTime}; each view's record ({@link PageViews}) goes out once the view has ended.
 *   <li>OPEN records go out at most once per event-time minute of the session's end; CLOSED when
 *       the watermark passes {@code end + gap}; the session is dropped from state when it passes
 *       {@code end + gap + allowed lateness}.
 * </ul>
 */
public final class SessionTracker implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final long MINUTE_MS = 60_000L;

    private final SessionRules rules;
    private final long gapMs;

    /**
     * @param gapMs inactivity gap (default 30 min)
     * @param maxDurationMs session cap (default 12 h)
     * @param latenessMs allowed lateness (default 5 min): how long a closed session stays in state
     */
    public SessionTracker(long gapMs, long maxDurationMs, long latenessMs) {
        this(SessionRules.defaults(gapMs, maxDurationMs, latenessMs));
    }

    /**
     * @param rules the gap, cap and lateness; heartbeat counting; the engaged-session rule; and
     *     {@code dwell.infer-from-gaps} (DESIGN.md section 5, for sources without dwell): when an
     *     event comes after a session's latest event, each view at that latest event time gets the
     *     time to this event as engaged time, capped at 30 min, attributed at this event's time; the
     *     last view of a session keeps 0 (as GA4 counts nothing after the last hit). Inference works
     *     on the events in the order they are applied: a late event within the allowed lateness does
     *     not re-split a gap already attributed.
     */
    public SessionTracker(SessionRules rules) {
        this.rules = rules;
        this.gapMs = rules.gapMs();
    }

    /** @return the rules this tracker counts by */
    public SessionRules rules() {
        return rules;
    }

    /**
     * @return whether {@code e} is a VIEW whose {@code view_id} repeats a view of the user's
     *     sessions: a re-sent page view, to be counted and dropped (DESIGN.md section 5)
     */
    public boolean isDuplicateView(UserState state, AttentionEvent e) {
        return e.getKind() == EventKind.CLICK
                && e.getEventType() == EventType.VIEW
                && PageViews.isDuplicate(state, e.getViewId());
    }

    /**
     * Adds one event to the user's sessions and emits what changed.
     *
     * @param user the pseudonym (state key)
     * @param watermark the current event-time watermark (ms, UTC)
     */
    public void apply(UserState state, String user, AttentionEvent e, long watermark, SessionListener out) {
        apply(state, user, e, watermark, out, false);
    }

    /**
     * Adds a re-sent page view ({@link #isDuplicateView}) to the user's sessions as an event that
     * starts no view: it counts in {@code event_count} and moves the session's start or end, as
     * Snowplow's sessions count every event id ({@code total_events}) while its page views keep the
     * first page_view of an id. No interest signal, no view, no engaged time.
     */
    public void applyResentView(UserState state, String user, AttentionEvent e, long watermark, SessionListener out) {
        apply(state, user, e, watermark, out, true);
    }

    private void apply(
            UserState state, String user, AttentionEvent e, long watermark, SessionListener out, boolean resent) {
        long t = e.getEventTime();
        List<SessionState> sessions = state.getSessions();
        String client = rules.clientSessions() ? e.getSessionId() : null;
        List<Integer> joinable = new ArrayList<>(2);
        long lo = t;
        long hi = t;
        for (int i = 0; i < sessions.size(); i++) {
            SessionState s = sessions.get(i);
            if (!Objects.equals(client, s.getClientSession())) {
                continue; // client sessions hold only their own events; gap sessions only events without one
            }
            if (client != null) { // its own session, whatever the gap: ClientSessionRouting enforces the cap
                if (t < keptUntil(s)) { // else the id is used again after the session could reopen: a new one
                    joinable.add(i);
                }
                break;
            }
            if (t > s.getStart() - gapMs
                    && t < s.getEnd() + gapMs
                    && Math.max(s.getEnd(), t) - Math.min(s.getStart(), t) < rules.maxDurationMs()) {
                joinable.add(i);
                lo = Math.min(lo, s.getStart());
                hi = Math.max(hi, s.getEnd());
            }
        }
        SessionState target;
        if (joinable.isEmpty()) {
            target = newSession(user, t, client);
            int at = 0;
            while (at < sessions.size() && sessions.get(at).getStart() <= t) {
                at++;
            }
            sessions.add(at, target);
            out.started(target);
        } else if (hi - lo < rules.maxDurationMs()) { // a client session: its one match, lo = hi = t
            target = sessions.get(joinable.get(0));
            for (int k = joinable.size() - 1; k >= 1; k--) {
                SessionState later = sessions.remove((int) joinable.get(k));
                out.summary(summary(state, user, later, SessionStatus.SUPERSEDED));
                out.superseded();
                if (later.getClosed()) {
                    out.closedDelta(-1);
                }
                merge(state, user, target, later, out);
            }
        } else {
            // Merging would break the cap: join the session that already spans t, else the first.
            target = sessions.get(joinable.get(0));
            for (int i : joinable) {
                SessionState s = sessions.get(i);
                if (s.getStart() <= t && t <= s.getEnd()) {
                    target = s;
                }
            }
        }
        add(state, user, target, e, resent, out);
        afterChange(state, user, target, watermark, out);
    }

    /** Emits CLOSED for every open session whose {@code end + gap} the watermark has reached. */
    public void close(UserState state, String user, long watermark, SessionListener out) {
        for (SessionState s : state.getSessions()) {
            if (!s.getClosed() && s.getEnd() + gapMs <= watermark) {
                s.setClosed(true);
                out.summary(summary(state, user, s, SessionStatus.CLOSED));
                out.closedDelta(1);
                PageViews.markAll(s);
                PageViews.emitEnded(state, user, s, out);
            }
        }
    }

    /**
     * Drops closed sessions whose allowed lateness has passed: {@code end + gap + lateness <=
     * watermark}; a client session stays until it cannot reopen any more, {@code max(end + gap,
     * start + max duration) + lateness <= watermark}.
     */
    public void cleanUp(UserState state, long watermark) {
        List<SessionState> sessions = state.getSessions();
        for (int i = sessions.size() - 1; i >= 0; i--) { // Avro arrays have no Iterator.remove
            SessionState s = sessions.get(i);
            if (s.getClosed() && keptUntil(s) <= watermark) {
                sessions.remove(i);
            }
        }
    }

    /** @return the earliest event time at which a session needs the watermark's attention, or MAX_VALUE */
    public long nextDeadline(UserState state) {
        long next = Long.MAX_VALUE;
        for (SessionState s : state.getSessions()) {
            next = Math.min(next, s.getClosed() ? keptUntil(s) : s.getEnd() + gapMs);
        }
        return next;
    }

    /** @return when a closed session leaves the state: after the lateness of its close, or of its reopening */
    private long keptUntil(SessionState s) {
        long last = Saturating.add(s.getEnd(), gapMs);
        if (s.getClientSession() != null) {
            last = Math.max(last, Saturating.add(s.getStart(), rules.maxDurationMs()));
        }
        return Saturating.add(last, rules.latenessMs());
    }

    private SessionState newSession(String user, long t, String client) {
        return SessionState.newBuilder()
                .setSessionId(client == null ? Hashes.sessionId(user, t) : Hashes.sessionId(user, t, client))
                .setClientSession(client)
                .setStart(t)
                .setEnd(t)
                .setEventCount(0)
                .setClicks(0)
                .setPurchase(false)
                .setEngagedMs(0)
                .setClosed(false)
                .setLastOpenMinute(-1)
                .setItems(new ArrayList<>())
                .setViews(new ArrayList<>())
                .build();
    }

    private void add(
            UserState state, String user, SessionState s, AttentionEvent e, boolean resent, SessionListener out) {
        long t = e.getEventTime();
        if (rules.inferFromGaps() && t > s.getEnd() && s.getEventCount() > 0) {
            EngagedTime.inferFromGap(s, t, out);
        }
        s.setStart(Math.min(s.getStart(), t));
        s.setEnd(Math.max(s.getEnd(), t));
        s.setEventCount(s.getEventCount() + 1);
        if (resent) {
            return;
        }
        long item = e.getItemId() == null ? 0 : Hashes.fnv64(e.getItemId());
        if (item != 0) {
            insertSorted(s.getItems(), item);
        }
        List<Integer> topics = topicIndexes(state, e.getTopics(), e.getTopicWeights());
        List<Double> shares = e.getTopicWeights();
        if (e.getKind() == EventKind.CLICK) {
            switch (e.getEventType()) {
                case VIEW -> {
                    ViewState view = PageViews.newView(t, item, e.getItemId(), e.getViewId(), topics, shares, false);
                    boolean atEnd = EngagedTime.insertView(s, view);
                    if (!atEnd || view.getViewId() != null) { // it may own events that came as a view of their own
                        EngagedTime.foldSyntheticViews(state, user, s, rules, out);
                    }
                    out.viewStarted(s, view);
                }
                case CLICK -> s.setClicks(s.getClicks() + 1);
                default -> {}
            }
            if (rules.engaged().conversions().contains(e.getEventType())) {
                s.setPurchase(true);
            }
            if (e.getEventType() != EventType.VIEW && e.getViewId() != null) {
                ViewState view = PageViews.owner(s.getViews(), e.getViewId(), 0, t, null);
                if (view != null) {
                    PageViews.touch(view, t, null);
                }
            }
            EngagedTime.signal(topics, shares, InterestVectors.clickSignal(e.getEventType()), t, out);
            return;
        }
        EngagedTime.add(state, s, e, item, topics, shares, rules, out);
    }

    private void merge(UserState state, String user, SessionState into, SessionState from, SessionListener out) {
        boolean wasClosed = into.getClosed();
        into.setStart(Math.min(into.getStart(), from.getStart()));
        into.setEnd(Math.max(into.getEnd(), from.getEnd()));
        into.setEventCount(into.getEventCount() + from.getEventCount());
        into.setClicks(into.getClicks() + from.getClicks());
        into.setPurchase(into.getPurchase() || from.getPurchase());
        into.setEngagedMs(into.getEngagedMs() + from.getEngagedMs());
        into.setClosed(into.getClosed() && from.getClosed());
        into.setLastOpenMinute(Math.max(into.getLastOpenMinute(), from.getLastOpenMinute()));
        for (long item : from.getItems()) {
            insertSorted(into.getItems(), item);
        }
        PageViews.markAll(from); // their records name the superseded session
        List<ViewState> views = new ArrayList<>(into.getViews());
        views.addAll(from.getViews());
        views.sort(Comparator.comparingLong(ViewState::getTime)); // stable: ties keep their order
        into.setViews(views);
        EngagedTime.foldSyntheticViews(state, user, into, rules, out);
        if (wasClosed && !into.getClosed()) {
            out.closedDelta(-1);
        }
    }

    private void afterChange(UserState state, String user, SessionState s, long watermark, SessionListener out) {
        if (s.getClosed()) {
            if (s.getEnd() + gapMs <= watermark) {
                out.summary(summary(state, user, s, SessionStatus.CLOSED));
                PageViews.emitEnded(state, user, s, out);
                return;
            }
            s.setClosed(false); // extended past the watermark: open again until its new end + gap
            out.closedDelta(-1);
        }
        long minute = Math.floorDiv(s.getEnd(), MINUTE_MS);
        if (minute > s.getLastOpenMinute()) {
            s.setLastOpenMinute(minute);
            out.summary(summary(state, user, s, SessionStatus.OPEN));
        }
        PageViews.emitEnded(state, user, s, out);
    }

    private static void insertSorted(List<Long> sorted, long value) {
        int at = Collections.binarySearch(sorted, value);
        if (at < 0) {
            sorted.add(-at - 1, value);
        }
    }

    /**
     * Dictionary indexes of {@code topics}, adding new ones. With weights the list stays parallel to
     * them; without, repeated topics count once.
     */
    private static List<Integer> topicIndexes(UserState state, List<String> topics, List<Double> weights) {
        if (topics.isEmpty()) {
            return new ArrayList<>(0);
        }
        List<String> dictionary = state.getTopicDictionary();
        List<Integer> out = new ArrayList<>(topics.size());
        for (String topic : topics) {
            int i = dictionary.indexOf(topic);
            if (i < 0) {
                i = dictionary.size();
                dictionary.add(topic);
            }
            if (!weights.isEmpty() || !out.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The summary of {@code s} by this tracker's rules ({@link SessionSummaries}). */
    private SessionSummary summary(UserState state, String user, SessionState s, SessionStatus status) {
        return SessionSummaries.summarize(state, user, s, status, rules);
    }
}
