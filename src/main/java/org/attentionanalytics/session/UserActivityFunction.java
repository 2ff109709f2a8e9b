package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.interest.InterestVectors;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.job.CountedName;
import org.attentionanalytics.job.PipelineCounters;

/**
 * The per-user operator (key: pseudonym). All of a user's state is one {@link UserState} value
 * (de-duplication memory, buffered events, sessions; later issues add the interest vector and
 * attention metrics to it), so a typical event costs one RocksDB read-modify-write, and one
 * event-time timer per user at a time covers flushing, closing and clean-up.
 *
 * <p>Per event: events behind the watermark by more than the allowed lateness are {@code TOO_LATE}
 * dead letters (no state read); duplicates (same {@code event_id} within the dedupe window of
 * event time) are dropped and counted; events ahead of the watermark wait in {@code pending} and
 * are applied in event-time order (ties: clicks before dwell, then event id) once the watermark
 * passes them, so the values written do not depend on how the two input topics interleave
 * (DESIGN.md section 4); late events within the allowed lateness are applied at once
 * (merge-and-supersede, {@link SessionTracker}).
 *
 * <p>Main output: {@link SessionSummary} records. Side outputs: {@link #INTEREST_VECTORS} ({@link
 * InterestVectors}) and {@link DeadLetters#TAG} (TOO_LATE).
 *
 * <p>Metrics ({@link PipelineCounters}): the counters, and two gauges. {@code openSessions}: sessions
 * of this subtask's users that are neither closed nor superseded; kept in operator state, so it
 * survives failovers and savepoint restores (after a rescale only the sum over the subtasks is
 * meaningful). {@code eventTimeLagMs}: wall clock minus the operator's current watermark, as last
 * seen by an event or timer; -1 before the first watermark.
 */
public class UserActivityFunction extends KeyedProcessFunction<String, AttentionEvent, SessionSummary>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  /** Side output: interest vectors (DESIGN.md section 6), keyed by {@code user} on the way out. */
  public static final OutputTag<InterestVector> INTEREST_VECTORS =
      new OutputTag<>("interest-vectors", new AvroTypeInfo<>(InterestVector.class));

  /** Name of the per-user state (savepoints refer to it with the operator uid). */
  public static final String STATE_NAME = "user-state";

  /** Name of the operator (non-keyed) state holding the subtask's count of open sessions. */
  public static final String OPEN_SESSIONS_STATE_NAME = "open-sessions";

  /** The descriptor of the per-user state: Avro-serialized, no Kryo. */
  public static ValueStateDescriptor<UserState> stateDescriptor() {
    return new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserState.class));
  }

  private final long latenessMs;
  private final long dedupeWindowMs;
  private final SessionTracker tracker;
  private final InterestVectors interest;

  private transient ValueState<UserState> state;
  private transient CountedName duplicates;
  private transient CountedName late;
  private transient CountedName tooLate;
  private transient CountedName sessionsStarted;
  private transient CountedName sessionsClosed;
  private transient CountedName sessionsSuperseded;
  private transient CountedName unknownTopicEvents;
  private transient CountedName vectorsEmitted;
  /** Open sessions of this subtask (started - closed - superseded); written by the task thread only. */
  private transient volatile long openSessions;
  /** The current watermark as last seen; written by the task thread only when it changes. */
  private transient volatile long lastWatermark;
  private transient ListState<Long> openSessionsState;

  /**
   * @param gapMs inactivity gap, ms
   * @param maxSessionMs session cap, ms
   * @param latenessMs allowed lateness, ms
   * @param dedupeWindowMs event-time window of de-duplication, ms
   * @param halfLifeMs half-life of the interest vector, ms
   */
  public UserActivityFunction(long gapMs, long maxSessionMs, long latenessMs, long dedupeWindowMs, long halfLifeMs) {
    this.latenessMs = latenessMs;
    this.dedupeWindowMs = dedupeWindowMs;
    this.tracker = new SessionTracker(gapMs, maxSessionMs, latenessMs);
    this.interest = new InterestVectors(halfLifeMs);
  }

  @Override
  public void open(OpenContext openContext) {
    state = getRuntimeContext().getState(stateDescriptor());
    duplicates = CountedName.register(getRuntimeContext(), PipelineCounters.DUPLICATES);
    late = CountedName.register(getRuntimeContext(), PipelineCounters.LATE_EVENTS);
    tooLate = CountedName.register(getRuntimeContext(), PipelineCounters.deadLetters(DeadLetterReason.TOO_LATE));
    sessionsStarted = CountedName.register(getRuntimeContext(), PipelineCounters.SESSIONS_STARTED);
    sessionsClosed = CountedName.register(getRuntimeContext(), PipelineCounters.SESSIONS_CLOSED);
    sessionsSuperseded = CountedName.register(getRuntimeContext(), PipelineCounters.SESSIONS_SUPERSEDED);
    unknownTopicEvents = CountedName.register(getRuntimeContext(), PipelineCounters.UNKNOWN_TOPIC_EVENTS);
    vectorsEmitted = CountedName.register(getRuntimeContext(), PipelineCounters.INTEREST_VECTORS);
    lastWatermark = Long.MIN_VALUE;
    getRuntimeContext().getMetricGroup().gauge(PipelineCounters.OPEN_SESSIONS, (Gauge<Long>) () -> openSessions);
    getRuntimeContext().getMetricGroup().gauge(PipelineCounters.EVENT_TIME_LAG_MS, (Gauge<Long>) this::eventTimeLagMs);
  }

  /** @return wall clock minus the last watermark seen, ms; -1 before the first watermark */
  long eventTimeLagMs() {
    long w = lastWatermark;
    return w == Long.MIN_VALUE ? -1 : Math.max(0, System.currentTimeMillis() - w);
  }

  /** @return the open sessions of this subtask (the {@code openSessions} gauge) */
  long openSessions() {
    return openSessions;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    openSessionsState = context.getOperatorStateStore().getListState(
        new ListStateDescriptor<>(OPEN_SESSIONS_STATE_NAME, Types.LONG));
    long n = 0;
    for (Long v : openSessionsState.get()) {
      n += v;
    }
    openSessions = n;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    openSessionsState.update(List.of(openSessions));
  }

  private void seeWatermark(long watermark) {
    if (watermark != lastWatermark) {
      lastWatermark = watermark;
    }
  }

  @Override
  public void processElement(AttentionEvent e, Context ctx, Collector<SessionSummary> out) throws Exception {
    switch (e.getKind()) {
      case BUDGET -> {
        onBudget(e, ctx, out);
        return;
      }
      case ERASURE -> {
        onErasure(e, ctx, out);
        return;
      }
      default -> {
        // a click or dwell event: below
      }
    }
    long watermark = ctx.timerService().currentWatermark();
    seeWatermark(watermark);
    long t = e.getEventTime();
    if (watermark != Long.MIN_VALUE && t < watermark - latenessMs) {
      tooLate.inc();
      ctx.output(DeadLetters.TAG, DeadLetters.of(e, DeadLetterReason.TOO_LATE,
          "event time " + t + " is " + (watermark - t) + " ms behind the watermark; allowed lateness "
              + latenessMs + " ms", System.currentTimeMillis()));
      return;
    }
    UserState st = state.value();
    if (st == null) {
      st = UserState.newBuilder().build();
    }
    if (watermark != Long.MIN_VALUE) {
      Deduplication.prune(st, watermark - latenessMs - dedupeWindowMs);
    }
    if (!Deduplication.remember(st, Hashes.fnv64(e.getEventId()), t, dedupeWindowMs)) {
      duplicates.inc();
      return;
    }
    String user = ctx.getCurrentKey();
    Listener listener = new Listener(st, user, out, ctx);
    if (t > watermark) {
      insertPending(st.getPending(), e);
    } else {
      late.inc();
      apply(st, user, e, watermark, listener);
    }
    flush(st, user, watermark, listener);
    save(st, ctx.timerService(), watermark);
  }

  /**
   * An {@code AttentionBudget} of this user (DESIGN.md section 2). Control records are never
   * TOO_LATE and never de-duplicated. Not applied yet (issue 4).
   */
  private void onBudget(AttentionEvent budget, Context ctx, Collector<SessionSummary> out) {
  }

  /**
   * An {@code ErasureRequest} for this user (DESIGN.md section 9), acted on at once in processing
   * time. Not applied yet (issue 5).
   */
  private void onErasure(AttentionEvent request, Context ctx, Collector<SessionSummary> out) {
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionSummary> out) throws Exception {
    UserState st = state.value();
    if (st == null) {
      return;
    }
    if (st.getNextTimer() == timestamp) {
      st.setNextTimer(Long.MIN_VALUE);
    }
    long watermark = ctx.timerService().currentWatermark();
    seeWatermark(watermark);
    String user = ctx.getCurrentKey();
    Listener listener = new Listener(st, user, out, ctx);
    flush(st, user, watermark, listener);
    tracker.close(st, user, watermark, listener);
    tracker.cleanUp(st, watermark);
    Deduplication.prune(st, watermark - latenessMs - dedupeWindowMs);
    save(st, ctx.timerService(), watermark);
  }

  /**
   * Applies buffered events the watermark has passed, in event-time order. Sessions that an event
   * proves complete ({@code end + gap <= its time}) close before it is applied, so a session's
   * closing records (and the interest vector as of its end) never include later events.
   */
  private void flush(UserState st, String user, long watermark, Listener listener) {
    List<AttentionEvent> pending = st.getPending();
    int n = 0;
    while (n < pending.size() && pending.get(n).getEventTime() <= watermark) {
      AttentionEvent e = pending.get(n);
      tracker.close(st, user, e.getEventTime(), listener);
      apply(st, user, e, watermark, listener);
      n++;
    }
    if (n > 0) {
      st.setPending(new ArrayList<>(pending.subList(n, pending.size())));
    }
  }

  /** Sessions, then the interest vector: one event, one pass over the state. */
  private void apply(UserState st, String user, AttentionEvent e, long watermark, Listener listener) {
    tracker.apply(st, user, e, watermark, listener);
    listener.vector(interest.onEvent(st, user, e.getEventTime()));
  }

  /** Writes the state back (or clears it when nothing is left) and keeps one timer registered. */
  private void save(UserState st, org.apache.flink.streaming.api.TimerService timers, long watermark) throws Exception {
    if (st.getSessions().isEmpty() || st.getTopicDictionary().size() > 2 * InterestVectors.MAX_TOPICS) {
      TopicDictionary.compact(st);
    }
    if (st.getSessions().isEmpty() && st.getPending().isEmpty() && st.getDedupeHashes().isEmpty()
        && st.getInterest() == null) {
      state.clear();
      return;
    }
    long needed = tracker.nextDeadline(st);
    if (!st.getPending().isEmpty()) {
      needed = Math.min(needed, st.getPending().get(0).getEventTime());
    }
    if (needed != Long.MAX_VALUE && (st.getNextTimer() == Long.MIN_VALUE || needed < st.getNextTimer())) {
      timers.registerEventTimeTimer(needed);
      st.setNextTimer(needed);
    }
    state.update(st);
  }

  static void insertPending(List<AttentionEvent> pending, AttentionEvent e) {
    int at = pending.size();
    while (at > 0 && EVENT_ORDER.compare(pending.get(at - 1), e) > 0) {
      at--;
    }
    pending.add(at, e);
  }

  /** Event-time order of application: time, then clicks before dwell, then event id. */
  static final java.util.Comparator<AttentionEvent> EVENT_ORDER =
      java.util.Comparator.comparingLong(AttentionEvent::getEventTime)
          .thenComparing(AttentionEvent::getKind)
          .thenComparing(AttentionEvent::getEventId);

  /** Sends summaries and vectors out, keeps the counters, feeds signals to the interest vector. */
  private final class Listener implements SessionTracker.Listener {
    private final UserState st;
    private final String user;
    private final Collector<SessionSummary> out;
    private final Context ctx;

    Listener(UserState st, String user, Collector<SessionSummary> out, Context ctx) {
      this.st = st;
      this.user = user;
      this.out = out;
      this.ctx = ctx;
    }

    @Override
    public void summary(SessionSummary summary) {
      out.collect(summary);
      if (summary.getStatus() == SessionStatus.CLOSED) {
        vector(interest.onSessionClosed(st, user, summary.getEnd().toEpochMilli()));
      }
    }

    void vector(InterestVector v) {
      if (v != null) {
        vectorsEmitted.inc();
        ctx.output(INTEREST_VECTORS, v);
      }
    }

    @Override
    public void signal(List<Integer> topics, List<Double> shares, double amount, long t) {
      interest.addSignal(st, topics, shares, amount, t);
    }

    @Override
    public void noTopics() {
      unknownTopicEvents.inc();
    }

    @Override
    public void started() {
      sessionsStarted.inc();
      openSessions++;
    }

    @Override
    public void closedDelta(int delta) {
      sessionsClosed.add(delta);
      openSessions -= delta;
    }

    @Override
    public void superseded() {
      sessionsSuperseded.inc();
      openSessions--;
    }
  }
}
