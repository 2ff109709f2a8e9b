package org.attentionanalytics.testutil;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.session.EventOrder;
import org.attentionanalytics.session.SessionRules;
import org.attentionanalytics.session.UserActivityFunction;
import org.attentionanalytics.session.UserActivityOperator;
import org.attentionanalytics.session.UserStateDescriptors;

/** The per-user operator in Flink's operator test harness, on the RocksDB state backend. */
public final class SessionHarness implements AutoCloseable {
    /** Users the operator caches in the harness: a fixed number, not a share of the test JVM's heap. */
    public static final int CACHED_USERS = 50_000;

    private final KeyedOneInputStreamOperatorTestHarness<String, AttentionEvent, SessionSummary> harness;
    private final UserActivityFunction function;

    public SessionHarness(long gapMs, long maxSessionMs, long latenessMs, long dedupeMs) throws Exception {
        this(gapMs, maxSessionMs, latenessMs, dedupeMs, Events.minutes(7 * 24 * 60));
    }

    public SessionHarness(long gapMs, long maxSessionMs, long latenessMs, long dedupeMs, long halfLifeMs)
            throws Exception {
        this(new UserActivityFunction(gapMs, maxSessionMs, latenessMs, dedupeMs, halfLifeMs));
    }

    /**
     * The harness around {@code function} (e.g. with {@link UserActivityFunction#withStateTtl}) in
     * {@link UserActivityOperator} with its default of waiting events and {@link #CACHED_USERS}:
     * events ahead of the watermark and users' values on the heap between checkpoints. The reads of the state below ({@link #state}, {@link
     * #stateKeys}, {@link #eventTimeTimers}) and {@link #processingTime} write them first, as the
     * operator does before a checkpoint barrier.
     */
    public SessionHarness(UserActivityFunction function) throws Exception {
        this(function, UserActivityOperator.DEFAULT_MAX_WAITING_EVENTS, CACHED_USERS, null);
    }

    /**
     * The harness around {@code function} in a {@link UserActivityOperator} holding at most {@code
     * maxWaiting} events and {@code maxCachedUsers} users on the heap (0 and 0: every event and
     * timer reads and writes the keyed state, as a plain {@code KeyedProcessOperator} would).
     *
     * @param restoreFrom a snapshot ({@link #snapshot}) to restore, or null
     */
    public SessionHarness(
            UserActivityFunction function,
            int maxWaiting,
            int maxCachedUsers,
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState restoreFrom)
            throws Exception {
        this.function = function;
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new UserActivityOperator(function, maxWaiting, maxCachedUsers), AttentionEvent::getUser, Types.STRING);
        harness.setStateBackend(TestRocksDb.harnessBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
    }

    /** A checkpoint of the operator, as Flink takes it: barrier preparation, then the snapshot. */
    public org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot(long checkpointId) throws Exception {
        harness.prepareSnapshotPreBarrier(checkpointId);
        return harness.snapshot(checkpointId, checkpointId);
    }

    /**
     * Defaults of DESIGN.md (gap 30 min, cap 12 h, lateness 5 min, dedupe 1 h, half-life 7 d) with
     * these attention settings and {@code dwell.infer-from-gaps}.
     */
    public static SessionHarness withAttention(
            org.attentionanalytics.attention.AttentionSettings settings, boolean inferFromGaps) throws Exception {
        return new SessionHarness(new UserActivityFunction(
                SessionRules.defaults(Events.minutes(30), Events.minutes(12 * 60), Events.minutes(5))
                        .withInferFromGaps(inferFromGaps),
                Events.minutes(60),
                Events.minutes(7 * 24 * 60),
                settings));
    }

    /** Defaults of DESIGN.md: gap 30 min, cap 12 h, lateness 5 min, dedupe 1 h. */
    public static SessionHarness defaults() throws Exception {
        return new SessionHarness(Events.minutes(30), Events.minutes(12 * 60), Events.minutes(5), Events.minutes(60));
    }

    public SessionHarness send(AttentionEvent... events) throws Exception {
        for (AttentionEvent e : events) {
            harness.processElement(e, e.getEventTime());
        }
        return this;
    }

    public SessionHarness watermark(long wm) throws Exception {
        harness.processWatermark(wm);
        return this;
    }

    /** All session records written so far, in order. */
    public List<SessionSummary> summaries() {
        return harness.extractOutputValues();
    }

    /** Session records of one status, in order. */
    public List<SessionSummary> summaries(SessionStatus status) {
        return summaries().stream().filter(s -> s.getStatus() == status).toList();
    }

    /** Interest vectors written so far, in order (tombstones left out). */
    public List<org.attentionanalytics.avro.InterestVector> vectors() {
        return vectorRecords().stream()
                .filter(u -> u.getVector() != null)
                .map(InterestVectorUpdate::getVector)
                .toList();
    }

    /** Records for {@code interest-vectors} written so far, in order: vectors and tombstones ({@code vector} null). */
    public List<InterestVectorUpdate> vectorRecords() {
        List<InterestVectorUpdate> out = new ArrayList<>();
        var records = harness.getSideOutput(SideOutputs.INTEREST_VECTORS);
        for (StreamRecord<InterestVectorUpdate> r :
                records == null ? List.<StreamRecord<InterestVectorUpdate>>of() : records) {
            out.add(r.getValue());
        }
        return out;
    }

    /** Records for {@code interest-vectors-live} written so far, in order: vectors and tombstones ({@code vector} null). */
    public List<InterestVectorUpdate> liveVectorRecords() {
        return side(SideOutputs.LIVE_INTEREST_VECTORS);
    }

    /** Signals for the recommendations written so far, in order ({@code ITEM_SIGNALS}, with item signals on). */
    public List<org.attentionanalytics.avro.internal.ItemSignal> itemSignals() {
        return side(SideOutputs.ITEM_SIGNALS);
    }

    /**
     * Sets the processing time without the checkpoint {@link #processingTime} takes first: timers of
     * processing time fire between two barriers, as they do in a job.
     */
    public SessionHarness clockOnly(long ms) throws Exception {
        harness.setProcessingTime(ms);
        return this;
    }

    /** Erasure confirmations written so far ({@code privacy-audit}), in order. */
    public List<ErasureConfirmation> confirmations() {
        List<ErasureConfirmation> out = new ArrayList<>();
        var records = harness.getSideOutput(SideOutputs.ERASURES);
        for (StreamRecord<ErasureConfirmation> r :
                records == null ? List.<StreamRecord<ErasureConfirmation>>of() : records) {
            out.add(r.getValue());
        }
        return out;
    }

    /** Alerts written so far, in order. */
    public List<org.attentionanalytics.avro.AttentionAlert> alerts() {
        return side(SideOutputs.ALERTS);
    }

    /** Daily reports written so far, in order. */
    public List<org.attentionanalytics.avro.DailyAttentionReport> reports() {
        return side(SideOutputs.REPORTS);
    }

    /** Focus-block reports written so far, in order. */
    public List<org.attentionanalytics.avro.FocusBlockReport> blockReports() {
        return side(SideOutputs.FOCUS_BLOCK_REPORTS);
    }

    private <T> List<T> side(org.apache.flink.util.OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        var records = harness.getSideOutput(tag);
        for (StreamRecord<T> r : records == null ? List.<StreamRecord<T>>of() : records) {
            out.add(r.getValue());
        }
        return out;
    }

    /** Sets the harness's processing time (timers, {@code erased_at}, {@code alerts.max-age}) and the clock of state TTL, ms. */
    public SessionHarness processingTime(long ms) throws Exception {
        // A checkpoint before the clock moves: what the operator holds on the heap is written with the
        // old time, as a job writes it within a checkpoint interval (state TTL counts from the write).
        harness.prepareSnapshotPreBarrier(0);
        harness.setProcessingTime(ms);
        harness.setStateTtlProcessingTime(ms);
        return this;
    }

    /**
     * Users with an entry in any of the per-user keyed state ({@link
     * UserStateDescriptors#KEYED_STATE_NAMES}), as RocksDB holds them: raw keys of the column
     * families, so an expired but not yet removed TTL entry still counts.
     */
    public java.util.Set<String> stateKeys() throws Exception {
        harness.prepareSnapshotPreBarrier(
                0); // events still waiting on the heap go to the state, as before a checkpoint
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String name : UserStateDescriptors.KEYED_STATE_NAMES) {
            try (java.util.stream.Stream<String> keys =
                    harness.getOperator().<String>getKeyedStateBackend().getKeys(name, VoidNamespace.INSTANCE)) {
                keys.forEach(out::add);
            }
        }
        return out;
    }

    /** A counter of {@link org.attentionanalytics.pipeline.PipelineCounters}, read from its accumulator (0 when never registered). */
    public long counter(String name) {
        var context = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator())
                .getRuntimeContext();
        Object acc = context.getAccumulator(name);
        return acc == null ? 0 : ((org.apache.flink.api.common.accumulators.LongCounter) acc).getLocalValue();
    }

    public List<DeadLetter> deadLetters() {
        List<DeadLetter> out = new ArrayList<>();
        var records = harness.getSideOutput(SideOutputs.DEAD_LETTERS);
        for (StreamRecord<?> r : records == null ? List.<StreamRecord<?>>of() : records) {
            out.add(((org.attentionanalytics.avro.internal.SourceRecord) r.getValue()).getDeadLetter());
        }
        return out;
    }

    /**
     * The user's state in RocksDB as one value, or null when the user has none: {@value
     * UserStateDescriptors#STATE_NAME} with the events of {@value
     * UserStateDescriptors#PENDING_STATE_NAME} in {@code pending} (event-time order) and the timer of
     * {@value UserStateDescriptors#TIMER_STATE_NAME} in {@code next_timer}, as the operator works on it.
     */
    public UserState state(String user) throws Exception {
        harness.prepareSnapshotPreBarrier(
                0); // events still waiting on the heap go to the state, as before a checkpoint
        harness.getOperator().setCurrentKey(user);
        var backend = harness.getOperator().<String>getKeyedStateBackend();
        UserState st = backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        UserStateDescriptors.stateDescriptor())
                .value();
        Iterable<org.attentionanalytics.avro.internal.AttentionEvent> pending = backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        UserStateDescriptors.pendingDescriptor(0))
                .get();
        Long timer = backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        UserStateDescriptors.timerDescriptor(0))
                .value();
        boolean anyPending = pending != null && pending.iterator().hasNext();
        if (anyPending && (timer == null || !UserStateDescriptors.hasBuffered(timer))) {
            throw new IllegalStateException(user + " has buffered events but next-timer says none: " + timer);
        }
        if (st == null && !anyPending && timer == null) {
            return null;
        }
        if (st == null) {
            st = UserState.newBuilder().build();
        }
        if (anyPending) {
            List<org.attentionanalytics.avro.internal.AttentionEvent> sorted = new ArrayList<>(st.getPending());
            pending.forEach(sorted::add);
            sorted.sort(EventOrder.EVENT_ORDER);
            st.setPending(sorted);
        }
        if (timer != null) {
            st.setNextTimer(UserStateDescriptors.timerOf(timer));
        }
        return st;
    }

    /** The operator's function (for its package-private gauges). */
    public UserActivityFunction function() {
        return function;
    }

    /** Event-time timers registered now, without writing what the operator holds on the heap first. */
    public int eventTimeTimersRegistered() {
        return harness.numEventTimeTimers();
    }

    public int eventTimeTimers() throws Exception {
        harness.prepareSnapshotPreBarrier(0);
        return harness.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
