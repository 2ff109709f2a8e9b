package org.attentionanalytics.session;

import java.io.Serializable;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.attention.AttentionTracker;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.interest.InterestVectors;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.privacy.TrendContributions;

/**
 * Runs one user's engines over their events in event-time order (DESIGN.md section 4): sessions
 * ({@link SessionTracker}), the interest vector ({@link InterestVectors}), attention metrics,
 * budgets, alerts and reports ({@link AttentionTracker}), topic-trend contributions ({@link
 * TrendContributions}) and de-duplication ({@link Deduplication}: event ids; {@link
 * SessionTracker#isDuplicateView}: re-sent page views); {@link EngineRules} connects
 * them. Plain Java: the caller loads the user's {@link UserState}, calls one method, and saves it;
 * records, counters and the timer an erasure cancels go to a {@link UserActivityOutput}.
 *
 * <p>Events the watermark has passed are applied at once; events ahead of it wait in {@code
 * pending} and are applied by {@link #catchUp} once it passes them, so the values written do not
 * depend on how the input topics interleave. Duplicates (same {@code event_id} within the
 * de-duplication window of event time) are dropped and counted when they would be applied.
 */
public final class UserActivityProcessor implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long latenessMs;
    private final long gapMs;
    private final long dedupeWindowMs;
    private final SessionTracker sessions;
    private final InterestVectors interest;
    private final AttentionTracker attention;
    private final TrendContributions trends;
    /** Index of each category in the rules' fixed set: topic trends refer to categories by it. */
    private final HashMap<String, Integer> categoryIndex = new HashMap<>();

    /**
     * @param rules sessions, heartbeats and the engaged-session rule (DESIGN.md section 5)
     * @param dedupeWindowMs event-time window of de-duplication, ms
     * @param halfLifeMs half-life of the interest vector, ms
     * @param attention thresholds, cooldowns, category rules, zones
     */
    public UserActivityProcessor(
            SessionRules rules, long dedupeWindowMs, long halfLifeMs, AttentionSettings attention) {
        this.latenessMs = rules.latenessMs();
        this.gapMs = rules.gapMs();
        this.dedupeWindowMs = dedupeWindowMs;
        this.sessions = new SessionTracker(rules);
        this.interest = new InterestVectors(halfLifeMs);
        this.attention = new AttentionTracker(attention);
        List<String> categories = attention.rules().categories();
        for (int i = 0; i < categories.size(); i++) {
            categoryIndex.put(categories.get(i), i);
        }
        this.trends = new TrendContributions(categories, latenessMs);
    }

    /** @return whether an event at {@code t} is behind the watermark by more than the allowed lateness */
    public boolean isTooLate(long t, long watermark) {
        return watermark != Long.MIN_VALUE && t < watermark - latenessMs;
    }

    /** @return the allowed lateness, ms */
    public long latenessMs() {
        return latenessMs;
    }

    /**
     * The detail of a TOO_LATE dead letter: the event time and the watermark as ISO-8601 instants
     * (any long is one), the distance in ms exactly (it may not fit in a long).
     */
    public static String tooLateDetail(long eventTime, long watermark, long latenessMs) {
        BigInteger behind = BigInteger.valueOf(watermark).subtract(BigInteger.valueOf(eventTime));
        return "event_time " + Instant.ofEpochMilli(eventTime) + " is " + behind + " ms behind the watermark "
                + Instant.ofEpochMilli(watermark) + "; allowed lateness " + latenessMs + " ms";
    }

    /**
     * Applies an event the watermark has passed, within the allowed lateness (merge-and-supersede,
     * {@link SessionTracker}), then any waiting events it passed.
     *
     * @return false for a duplicate: nothing changed that must be saved
     */
    public boolean applyLate(UserState st, String user, AttentionEvent e, long watermark, UserActivityOutput out) {
        if (watermark != Long.MIN_VALUE) {
            Deduplication.prune(st, watermark - latenessMs - dedupeWindowMs);
        }
        if (!Deduplication.remember(st, Hashes.fnv64(e.getEventId()), e.getEventTime(), dedupeWindowMs)) {
            out.count(PipelineCounters.DUPLICATES, 1);
            return false;
        }
        EngineRules rules = rules(st, user, out);
        out.count(PipelineCounters.LATE_EVENTS, 1);
        apply(st, user, e, watermark, rules);
        flush(st, user, watermark, rules);
        return true;
    }

    /**
     * A control record of this user (DESIGN.md sections 2, 9 and 13), never TOO_LATE and never
     * de-duplicated. A budget or focus-blocks record ahead of the watermark waits in {@code pending}; one behind it is
     * applied at once. An erasure in a live job ({@code erasureInEventTime} false) is applied at once
     * with every waiting event, since a quiet stream must not hold it back; in a bounded run it takes
     * effect at its {@code requested_at} in event time, so a replay erases the same events each time.
     */
    public void control(
            UserState st,
            String user,
            AttentionEvent control,
            long watermark,
            boolean erasureInEventTime,
            UserActivityOutput out) {
        EngineRules rules = rules(st, user, out);
        boolean erasure = control.getKind() == EventKind.ERASURE;
        if (erasure && !erasureInEventTime) {
            erase(st, user, control, false, watermark, out);
        } else if (control.getEventTime() > watermark) {
            EventOrder.insert(st.getPending(), control);
        } else if (erasure) {
            erase(st, user, control, true, watermark, out);
        } else {
            if (control.getKind() == EventKind.FOCUS_BLOCKS && control.getEventTime() < watermark) {
                out.count(PipelineCounters.FOCUS_BLOCKS_LATE, 1); // what was applied before stays as counted
            }
            apply(st, user, control, watermark, rules);
        }
        flush(st, user, watermark, rules);
    }

    /**
     * What the user's timer does once the watermark has passed it: applies the waiting events up to
     * {@code watermark}, emits what is complete by then, and cleans up what the allowed lateness no
     * longer needs.
     */
    public void catchUp(UserState st, String user, long watermark, UserActivityOutput out) {
        EngineRules rules = rules(st, user, out);
        flush(st, user, watermark, rules);
        advanceTo(st, user, watermark, rules);
        attention.beforeCleanUp(st, watermark);
        sessions.cleanUp(st, watermark);
        Deduplication.prune(st, watermark - latenessMs - dedupeWindowMs);
    }

    /**
     * Compacts the topic dictionary when it may have grown stale, before the value is saved.
     *
     * @return whether nothing is left of the user (the state can be cleared)
     */
    public boolean compactForSave(UserState st) {
        if (st.getSessions().isEmpty() || st.getTopicDictionary().size() > 2 * InterestVectors.MAX_TOPICS) {
            TopicDictionary.compact(st);
        }
        return st.getSessions().isEmpty()
                && st.getPending().isEmpty()
                && st.getDedupeHashes().isEmpty()
                && st.getInterest() == null
                && AttentionTracker.isEmpty(st)
                && st.getTrendWindows().isEmpty();
    }

    /** @return the event time (ms) by which the user's timer must fire, or Long.MAX_VALUE for none */
    public long nextDeadline(UserState st) {
        long needed =
                Math.min(Math.min(sessions.nextDeadline(st), attention.nextDeadline(st)), trends.nextDeadline(st));
        if (!st.getPending().isEmpty()) {
            needed = Math.min(needed, st.getPending().get(0).getEventTime());
        }
        return needed;
    }

    private EngineRules rules(UserState st, String user, UserActivityOutput out) {
        return new EngineRules(st, user, out, attention, interest, trends, categoryIndex, gapMs);
    }

    /**
     * Applies waiting events the watermark has passed, in event-time order. Sessions that an event
     * proves complete close before it is applied, so a session's closing records never include later
     * events.
     */
    private void flush(UserState st, String user, long watermark, EngineRules rules) {
        List<AttentionEvent> pending = st.getPending();
        if (!pending.isEmpty() && pending.get(0).getEventTime() <= watermark && watermark != Long.MIN_VALUE) {
            // The earliest waiting event may be far behind the watermark (one step can jump): keep what it can match.
            Deduplication.prune(st, Math.min(pending.get(0).getEventTime(), watermark - latenessMs) - dedupeWindowMs);
        }
        int n = 0;
        while (n < pending.size() && pending.get(n).getEventTime() <= watermark) {
            AttentionEvent e = pending.get(n);
            advanceTo(st, user, e.getEventTime(), rules);
            if (e.getKind() == EventKind.ERASURE) {
                st.setPending(new ArrayList<>(pending.subList(n, pending.size()))); // the applied ones are in the state
                erase(st, user, e, true, watermark, rules.out());
                pending = st.getPending();
                n = 0;
                continue;
            }
            n++;
            if (e.getKind() != EventKind.BUDGET
                    && e.getKind() != EventKind.FOCUS_BLOCKS
                    && !Deduplication.remember(st, Hashes.fnv64(e.getEventId()), e.getEventTime(), dedupeWindowMs)) {
                rules.out().count(PipelineCounters.DUPLICATES, 1);
                continue;
            }
            apply(st, user, e, watermark, rules);
        }
        if (n > 0) {
            st.setPending(new ArrayList<>(pending.subList(n, pending.size())));
        }
    }

    /**
     * What is complete by event time {@code t} goes out before anything at {@code t} is applied:
     * sessions that ended a gap before it, daily reports whose day plus gap plus lateness is over,
     * topic-trend hours whose end plus lateness is. Called before each waiting event and at the
     * watermark, so what is emitted does not depend on how far one watermark step jumps.
     */
    private void advanceTo(UserState st, String user, long t, EngineRules rules) {
        sessions.close(st, user, t, rules);
        attention.emitReports(st, user, t, rules);
        for (TrendContribution c : trends.due(st, t)) {
            rules.out().contribution(c);
        }
    }

    /**
     * Sessions, then the interest vector, then the attention metrics and alerts; a budget goes to
     * the budget timeline, focus blocks to theirs.
     */
    private void apply(UserState st, String user, AttentionEvent e, long watermark, EngineRules rules) {
        if (e.getKind() == EventKind.BUDGET) {
            attention.applyBudget(st, user, e, watermark, rules);
            return;
        }
        if (e.getKind() == EventKind.FOCUS_BLOCKS) {
            attention.applyFocusBlocks(st, e, watermark);
            return;
        }
        if (sessions.isDuplicateView(st, e)) {
            rules.out().count(PipelineCounters.DUPLICATE_VIEWS, 1);
            sessions.applyResentView(st, user, e, watermark, rules);
            return;
        }
        attention.beginEvent(st, user, e);
        sessions.apply(st, user, e, watermark, rules);
        rules.vector(interest.onEvent(st, user, e.getEventTime()), e.getEventTime());
        rules.modeAfter(e.getEventTime(), attention.afterEvent(st, user, e, rules));
        if (e.getKind() == EventKind.CLICK
                && e.getEventType() == EventType.PURCHASE
                && e.getItemId() != null
                && !e.getItemId().isBlank()) {
            rules.itemSignal(ItemSignalKind.PURCHASE, e.getEventTime(), null, e.getItemId());
        }
    }

    /**
     * Erases the user: clears every field of {@code st} in place (all per-user state is this one
     * value), cancels the registered timer, drops open sessions without a summary, writes a
     * tombstone for the pseudonym (after any vector written before) and an erasure confirmation
     * ({@code erased_at}: processing time; {@code cleared}: {@link Erasure#cleared}).
     *
     * @param keepLater keep the waiting events after the request (bounded runs), else drop them all
     *     but other erasure requests
     * @param watermark the operator's watermark: with {@code keepLater} false, everything the
     *     recommendations were told came before it; else before the request's time
     */
    private void erase(
            UserState st,
            String user,
            AttentionEvent request,
            boolean keepLater,
            long watermark,
            UserActivityOutput out) {
        List<AttentionEvent> keep = new ArrayList<>();
        List<AttentionEvent> dropped = new ArrayList<>();
        for (AttentionEvent e : st.getPending()) {
            if (e != request) {
                boolean later = keepLater && EventOrder.EVENT_ORDER.compare(e, request) > 0;
                // another erasure request (a repeat included) is never dropped: it gets its own confirmation
                (later || e.getKind() == EventKind.ERASURE ? keep : dropped).add(e);
            }
        }
        st.setPending(dropped);
        List<String> cleared = Erasure.cleared(st);
        if (st.getNextTimer() != Long.MIN_VALUE) {
            out.deleteTimer(st.getNextTimer());
        }
        out.openSessions(-Erasure.openSessions(st));
        UserState empty = UserState.newBuilder().build();
        for (int i = 0; i < empty.getSchema().getFields().size(); i++) {
            st.put(i, empty.get(i));
        }
        st.setPending(keep);
        out.vector(Erasure.tombstone(user));
        out.itemSignal(ItemSignal.newBuilder()
                .setUser(user)
                .setKind(ItemSignalKind.ERASED)
                .setTime(keepLater ? request.getEventTime() : watermark)
                .build());
        out.erasure(Erasure.confirmation(request.getEventId(), user, out.processingTime(), cleared));
        out.count(PipelineCounters.ERASURES, 1);
    }
}
