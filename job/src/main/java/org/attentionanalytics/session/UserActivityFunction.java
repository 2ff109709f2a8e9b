package org.attentionanalytics.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.common.AvroCoders;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.pipeline.CountedName;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The Flink adapter of the per-user operator (key: pseudonym; state layout in {@link
 * UserStateDescriptors}): it runs {@link UserActivityProcessor} against the user's stored value
 * ({@link UserStore}) and keeps one event-time timer per user at the processor's next deadline.
 * Main output: {@link SessionSummary}; side outputs ({@link SideOutputs}): interest vectors and
 * tombstones, erasure confirmations, alerts, daily reports, topic-trend contributions, and
 * {@code TOO_LATE} dead letters (behind the watermark by more than the allowed lateness, decided
 * before any state is read). Metrics: {@link PipelineCounters}, with the {@code openSessions}
 * gauge kept in operator state and {@code eventTimeLagMs} (wall clock minus the operator's watermark).
 * In the job it runs in {@link UserActivityOperator}, which holds waiting events and users on
 * the heap between checkpoints.
 */
public class UserActivityFunction extends KeyedProcessFunction<String, AttentionEvent, SessionSummary>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final UserActivityProcessor processor;
    private final LiveInterest liveInterest;
    /** State TTL, ms; 0: none. */
    private long stateTtlMs;
    /** Erasures wait for event time to reach their requested_at (bounded runs); else at once. */
    private boolean erasureInEventTime;

    private boolean redactDeadLetters;
    /** Views, purchases, session ends and erasures go to {@link SideOutputs#ITEM_SIGNALS}. */
    private boolean itemSignals;

    private String deadLetterKeyFile;
    /** Least processing time between two live vectors of a user, ms; -1: no live vectors. */
    private long liveMinIntervalMs = -1;

    private long liveLingerMs;

    private transient Pseudonymizer idHasher;
    private transient KeyedUserStore keyed;
    /** {@link #keyed}, or a {@link CachedUserStore} in front of it. */
    private transient UserStore store;

    private transient UserActivityMetrics metrics;
    private transient CountedName tooLate;
    /** Open sessions restored from operator state, until {@link #open} hands them to the metrics. */
    private transient long restoredOpenSessions;

    private transient ListState<Long> openSessionsState;
    /** Events ahead of the watermark held on the heap ({@link #holdWaitingEvents}), or null. */
    private transient WaitingEvents waiting;

    private transient int maxWaiting;
    /** Users whose live tombstone went out since {@link #takeLiveTombstones}. */
    private transient List<String> liveTombstones;

    /** With the default session rules and attention settings for this gap and lateness. */
    public UserActivityFunction(long gapMs, long maxSessionMs, long latenessMs, long dedupeWindowMs, long halfLifeMs) {
        this(
                SessionRules.defaults(gapMs, maxSessionMs, latenessMs),
                dedupeWindowMs,
                halfLifeMs,
                AttentionSettings.defaults(gapMs, latenessMs));
    }

    /** The arguments of {@link UserActivityProcessor#UserActivityProcessor}. */
    public UserActivityFunction(SessionRules rules, long dedupeWindowMs, long halfLifeMs, AttentionSettings attention) {
        this.processor = new UserActivityProcessor(rules, dedupeWindowMs, halfLifeMs, attention);
        this.liveInterest = new LiveInterest(rules, halfLifeMs);
    }

    /** Sets the retention of the per-user state ({@code --state-ttl}, DESIGN.md section 9); zero: none. */
    public UserActivityFunction withStateTtl(Duration ttl) {
        this.stateTtlMs = ttl.toMillis();
        return this;
    }

    /**
     * @param inEventTime true for a bounded run ({@code --bounded}): an erasure takes effect at its
     *     {@code requested_at} in event time; false (the default): as soon as it is read
     */
    public UserActivityFunction withErasureInEventTime(boolean inEventTime) {
        this.erasureInEventTime = inEventTime;
        return this;
    }

    /** Sends the recommendations their signals ({@link SideOutputs#ITEM_SIGNALS}, DESIGN.md section 12). */
    public UserActivityFunction withItemSignals(boolean on) {
        this.itemSignals = on;
        return this;
    }

    /**
     * Writes live interest vectors ({@link SideOutputs#LIVE_INTEREST_VECTORS}, DESIGN.md section 6),
     * with {@link UserActivityOperator} pacing them.
     *
     * @param minInterval least processing time between two live vectors of a user ({@code
     *     --live.min-interval}); null: no live vectors
     * @param linger how long the first live vector after a quiet interval waits ({@code
     *     --live.linger}, at most {@code minInterval})
     */
    public UserActivityFunction withLiveVectors(Duration minInterval, Duration linger) {
        this.liveMinIntervalMs = minInterval == null ? -1 : minInterval.toMillis();
        this.liveLingerMs = minInterval == null ? 0 : Math.min(linger.toMillis(), minInterval.toMillis());
        return this;
    }

    /** @return how long the first live vector after a quiet interval waits, ms */
    long liveLingerMs() {
        return liveLingerMs;
    }

    /** @return the least processing time between two live vectors of a user, ms; -1: none are written */
    long liveMinIntervalMs() {
        return liveMinIntervalMs;
    }

    /**
     * Redacts the event ids of {@code TOO_LATE} dead letters as the doors do ({@code --dlq.redact},
     * DESIGN.md section 3): their HMAC under the pseudonym key ({@code keyFile}, or null for the
     * environment variable).
     */
    public UserActivityFunction withDeadLetterRedaction(boolean redact, String keyFile) {
        this.redactDeadLetters = redact;
        this.deadLetterKeyFile = keyFile;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        AvroCoders.useGeneratedCoders();
        RuntimeContext context = getRuntimeContext();
        idHasher = redactDeadLetters ? new Pseudonymizer(Pseudonymizer.loadKey(deadLetterKeyFile)) : null;
        keyed = new KeyedUserStore(context, stateTtlMs);
        store = keyed;
        metrics = new UserActivityMetrics(context, restoredOpenSessions);
        liveTombstones = new ArrayList<>();
        tooLate = CountedName.register(context, PipelineCounters.deadLetters(DeadLetterReason.TOO_LATE));
    }

    /** @return wall clock minus the last watermark seen, ms; -1 before the first watermark */
    long eventTimeLagMs() {
        return metrics.eventTimeLagMs();
    }

    /** Records the operator's watermark for the {@code eventTimeLagMs} gauge (at every watermark, not only with events). */
    void seeWatermark(long watermark) {
        metrics.seeWatermark(watermark);
    }

    /** @return the open sessions of this subtask (the {@code openSessions} gauge) */
    long openSessions() {
        return metrics.openSessions();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openSessionsState = context.getOperatorStateStore().getListState(UserStateDescriptors.openSessionsDescriptor());
        long n = 0;
        for (Long v : openSessionsState.get()) {
            n += v;
        }
        restoredOpenSessions = n;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openSessionsState.update(List.of(metrics.openSessions()));
    }

    @Override
    public void processElement(AttentionEvent e, Context ctx, Collector<SessionSummary> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        metrics.seeWatermark(watermark);
        String user = ctx.getCurrentKey();
        if (e.getKind() == EventKind.BUDGET
                || e.getKind() == EventKind.FOCUS_BLOCKS
                || e.getKind() == EventKind.ERASURE) {
            UserState st = store.load(user);
            if (waiting != null) {
                for (AttentionEvent w : waiting.takeAll(user)) {
                    EventOrder.insert(st.getPending(), w); // an erasure must see them; a budget joins them
                }
            }
            processor.control(st, user, e, watermark, erasureInEventTime, output(ctx, out));
            save(st, ctx.timerService());
            return;
        }
        long t = e.getEventTime();
        if (processor.isTooLate(t, watermark)) {
            tooLate.inc();
            ctx.output(
                    SideOutputs.DEAD_LETTERS,
                    DeadLetters.of(
                            e,
                            DeadLetterReason.TOO_LATE,
                            UserActivityProcessor.tooLateDetail(t, watermark, processor.latenessMs()),
                            System.currentTimeMillis(),
                            idHasher));
            return;
        }
        if (t > watermark) {
            if (waiting != null && waiting.size() < maxWaiting) {
                waiting.add(user, e); // no state access: applied by applyWaiting or written by writeWaiting
            } else if (store != keyed) {
                UserState st = store.load(user); // the held value may be newer than the keyed state
                EventOrder.insert(st.getPending(), e);
                save(st, ctx.timerService());
            } else {
                keyed.append(e, ctx.timerService());
            }
            return;
        }
        UserState st = store.load(user);
        if (processor.applyLate(st, user, e, watermark, output(ctx, out))) {
            save(st, ctx.timerService());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionSummary> out) throws Exception {
        String user = ctx.getCurrentKey();
        UserState st = store.load(user);
        if (st.getNextTimer() == timestamp) {
            st.setNextTimer(Long.MIN_VALUE);
        }
        catchUp(st, user, ctx.timerService().currentWatermark(), ctx, out);
    }

    private void catchUp(UserState st, String user, long watermark, Context ctx, Collector<SessionSummary> out)
            throws Exception {
        metrics.seeWatermark(watermark);
        processor.catchUp(st, user, watermark, output(ctx, out));
        save(st, ctx.timerService());
    }

    /** Saves the value (or clears the user when nothing is left), keeping one timer at the next deadline. */
    private void save(UserState st, TimerService timers) throws Exception {
        if (processor.compactForSave(st)) {
            store.save(null);
            return;
        }
        long needed = processor.nextDeadline(st);
        if (needed != Long.MAX_VALUE && (st.getNextTimer() == Long.MIN_VALUE || needed < st.getNextTimer())) {
            if (st.getNextTimer() != Long.MIN_VALUE) {
                // One timer per user: the later one is not needed (the earlier one re-derives it), and an
                // erasure deletes exactly the timer in next_timer.
                timers.deleteEventTimeTimer(st.getNextTimer());
            }
            timers.registerEventTimeTimer(needed);
            st.setNextTimer(needed);
        }
        store.save(st);
    }

    /**
     * Holds users' values on the heap between checkpoints ({@link CachedUserStore}); {@link
     * UserActivityOperator} calls this in {@code open} and {@link #writeCache} before every barrier.
     *
     * @param maxUsers most users held per subtask
     * @param setCurrentKey sets the operator's current key, to write back a user other than the one processed
     * @param clock processing time, ms, as state TTL counts it (the operator's processing time service)
     */
    void cacheUsers(int maxUsers, Consumer<Object> setCurrentKey, LongSupplier clock) {
        store = new CachedUserStore(keyed, maxUsers, setCurrentKey, stateTtlMs, clock);
    }

    /** Writes the held users back to the keyed state ({@link UserStore#writeBack}). */
    void writeCache(boolean keepWritten) throws Exception {
        store.writeBack(keepWritten);
    }

    /**
     * Keeps events ahead of the watermark on the heap ({@link WaitingEvents}) instead of appending
     * each to the keyed state with a timer; beyond {@code maxEvents} per subtask they go to the
     * state at once.
     */
    void holdWaitingEvents(int maxEvents) {
        this.waiting = new WaitingEvents();
        this.maxWaiting = maxEvents;
    }

    /** @return the events held on the heap ({@link #holdWaitingEvents}), or null */
    WaitingEvents waiting() {
        return waiting;
    }

    /** The processor's output for one call of the function. */
    private FunctionOutput output(Context ctx, Collector<SessionSummary> out) {
        return new FunctionOutput(ctx, out, metrics, itemSignals, liveMinIntervalMs >= 0 ? liveTombstones : null);
    }

    /**
     * @return the users whose live tombstone went out since the last call (an erasure), so that the
     *     operator sends the vector of events after the erasure, if any, after it
     */
    List<String> takeLiveTombstones() {
        if (liveTombstones.isEmpty()) {
            return List.of();
        }
        List<String> users = liveTombstones;
        liveTombstones = new ArrayList<>();
        return users;
    }

    /**
     * For the current key: the live interest vector (DESIGN.md section 6), the settled one plus the
     * events still waiting for the watermark, on the heap or in the keyed state; null when the user
     * has none. Reads the state, changes nothing.
     */
    InterestVector liveVector(String user) throws Exception {
        UserState st = store.load(user);
        return liveInterest.estimate(st, user, waitingEvents(st, user));
    }

    /** @return whether the operator asks for live recommendations: live vectors and item signals are on */
    boolean wantsLiveViews() {
        return liveMinIntervalMs >= 0 && itemSignals;
    }

    /**
     * For the current key: a LIVE_VIEW asking the recommendations for a provisional list ({@code
     * recommendations-live}, DESIGN.md section 12) from the user's latest views ({@link
     * LiveViews}), its {@code live_id} still to set; null when the user has none. Reads the state,
     * changes nothing.
     */
    ItemSignal liveViewSignal(String user) throws Exception {
        UserState st = store.load(user);
        return LiveViews.signal(user, st, waitingEvents(st, user));
    }

    /** @return the user's events waiting for the watermark, on the heap and in {@code st}, in event order */
    private List<AttentionEvent> waitingEvents(UserState st, String user) {
        List<AttentionEvent> held = waiting == null ? List.of() : waiting.peek(user);
        if (st.getPending().isEmpty()) {
            return held;
        }
        List<AttentionEvent> events = new ArrayList<>(st.getPending());
        for (AttentionEvent e : held) {
            EventOrder.insert(events, e);
        }
        return events;
    }

    /**
     * For the current key, whose waiting events {@code due} the watermark has passed: applies them
     * with any stored ones, exactly as the user's timer would at {@code watermark}, and deletes that
     * timer if it is due too.
     */
    void applyWaiting(String user, List<AttentionEvent> due, long watermark, Context ctx, Collector<SessionSummary> out)
            throws Exception {
        UserState st = store.load(user);
        for (AttentionEvent e : due) {
            EventOrder.insert(st.getPending(), e);
        }
        if (st.getNextTimer() != Long.MIN_VALUE && st.getNextTimer() <= watermark) {
            ctx.timerService().deleteEventTimeTimer(st.getNextTimer());
            st.setNextTimer(Long.MIN_VALUE);
        }
        catchUp(st, user, watermark, ctx, out);
    }

    /**
     * For the current key: appends events still waiting on the heap to the keyed state with the
     * user's timer, as if each had just arrived (before a checkpoint barrier, after {@link #writeCache}).
     */
    void writeWaiting(String user, List<AttentionEvent> events, TimerService timers) throws Exception {
        store.appendWaiting(user, events, timers); // written back (clean) just before
    }
}
