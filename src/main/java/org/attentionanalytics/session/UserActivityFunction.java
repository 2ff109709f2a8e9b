package org.attentionanalytics.session;

import org.attentionanalytics.pipeline.SideOutputs;

import org.attentionanalytics.io.AvroCoders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
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
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.job.TopicTrends;
import org.attentionanalytics.privacy.TrendContributions;
import org.attentionanalytics.attention.AttentionTracker;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.interest.InterestVectors;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.pipeline.CountedName;
import org.attentionanalytics.pipeline.PipelineCounters;

/**
 * The per-user operator (key: pseudonym). A user's state is three keyed states, which the code
 * below sees as one {@link UserState} value ({@link #load} joins them, {@link #save} splits them
 * again): {@value #STATE_NAME} (de-duplication memory, sessions, interest vector, attention metrics,
 * budgets, days, topic-trend hours), {@value #PENDING_STATE_NAME} (events waiting for the
 * watermark) and {@value #TIMER_STATE_NAME} (the one event-time timer per user that covers
 * flushing, closing and clean-up). The split is for the hot path: an event ahead of the watermark
 * costs an append to its list and a read of the timer, not a read-modify-write of the whole value;
 * the timer then applies every buffered event the watermark has passed with one read and one write
 * of the value (issue 7, BENCHMARKS.md). In the job the function runs in {@link
 * UserActivityOperator}, which keeps waiting events ({@link #holdWaitingEvents}) and users' values
 * ({@link #cacheUsers}) on the heap between checkpoints and writes them to these states before
 * every barrier; the records written are the same either way.
 *
 * <p>Per event: events behind the watermark by more than the allowed lateness are {@code TOO_LATE}
 * dead letters (no state read); events ahead of the watermark wait in {@code pending} and are
 * applied in event-time order (ties: clicks before dwell, then event id) once the watermark passes
 * them, so the values written do not depend on how the two input topics interleave (DESIGN.md
 * section 4); late events within the allowed lateness are applied at once (merge-and-supersede,
 * {@link SessionTracker}). Duplicates (same {@code event_id} within the dedupe window of event
 * time) are dropped and counted when they would be applied.
 *
 * <p>Erasure (DESIGN.md section 9, {@link #onControl}): an ERASURE control record clears the whole
 * {@link UserState} as {@link #load} joined it (every field, including those later issues add:
 * all per-user state must stay in these states, {@link #KEYED_STATE_NAMES}, for this to hold) and
 * deletes the user's timer: at once in a live job, at its
 * {@code requested_at} in event time in a bounded run (so replays erase the same events each time).
 *
 * <p>Retention (DESIGN.md section 9): with {@link #withStateTtl} the state has a Flink state TTL in
 * processing time on each of the three states, refreshed on every write (a buffered event refreshes
 * its list; applying it, or a timer, writes the value), never returned once expired, removed by
 * RocksDB's compaction filter ({@link #stateDescriptor(long)}).
 *
 * <p>Main output: {@link SessionSummary} records. Side outputs: {@link #INTEREST_VECTORS} ({@link
 * InterestVectors}, and tombstones of erased users), {@link #ERASURES} ({@code privacy-audit}), {@link
 * #ALERTS} and {@link #REPORTS} ({@link AttentionTracker}: rolling metrics, alerts, budgets, daily
 * reports), {@link TopicTrends#CONTRIBUTIONS} (each user's bounded per-hour category contributions
 * to the topic trends, {@link TrendContributions}, emitted once the watermark passes the hour's end
 * plus the allowed lateness) and {@link DeadLetters#TAG} (TOO_LATE).
 *
 * <p>BUDGET control records ({@code AttentionBudget}) are never TOO_LATE and never de-duplicated:
 * one ahead of the watermark waits in {@code pending} and is applied in event-time order with the
 * events (after clicks and dwell of the same millisecond), one behind it is applied at once (the
 * unreported days are re-checked against it). Alerts whose event time is more than {@code
 * alerts.max-age} behind the processing clock are counted ({@code alertsSuppressedAge}) and not
 * sent; the decision uses the timer service's processing time, ids never do.
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

  /** Name of the per-user state (savepoints refer to it with the operator uid). */
  public static final String STATE_NAME = "user-state";

  /**
   * Name of the per-user list of events that arrived ahead of the watermark and wait for it, in
   * arrival order (their {@code user} and {@code source_*} fields blanked: the key is the user, and
   * dead letters are decided before). Kept apart from {@value #STATE_NAME} so that an arriving event
   * costs an append (a RocksDB merge, no read) instead of a read-modify-write of the whole value;
   * the timer that applies them reads both once for all the events the watermark has passed.
   */
  public static final String PENDING_STATE_NAME = "pending-events";

  /**
   * Name of the per-user event-time timer registered (at most one per user), with a flag for
   * buffered events ({@link #encodeTimer}).
   */
  public static final String TIMER_STATE_NAME = "next-timer";

  /** Name of the operator (non-keyed) state holding the subtask's count of open sessions. */
  public static final String OPEN_SESSIONS_STATE_NAME = "open-sessions";

  /** The descriptor of the per-user state without TTL: Avro-serialized, no Kryo. */
  public static ValueStateDescriptor<UserState> stateDescriptor() {
    return new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserState.class));
  }

  /**
   * Entries a RocksDB compaction filter processes between two reads of the clock (Flink's
   * default); a value state has one entry per user.
   */
  public static final long TTL_COMPACTION_QUERY_TIME_AFTER_ENTRIES = 1000;

  /**
   * RocksDB files older than this are compacted even if nothing else would compact them, so the
   * compaction filter also reaches expired users in cold files: expired state leaves the disk at
   * most this long after its TTL.
   */
  public static final Duration TTL_PERIODIC_COMPACTION = Duration.ofDays(1);

  /**
   * The descriptor of the per-user state with retention (DESIGN.md section 9).
   *
   * @param ttlMs time to live in processing time, ms, counted from the last write of the user's
   *     state (an event or a timer that changed it: {@code OnCreateAndWrite}); expired state is
   *     never returned ({@code NeverReturnExpired}) and is removed by RocksDB compactions ({@link
   *     #TTL_COMPACTION_QUERY_TIME_AFTER_ENTRIES}, {@link #TTL_PERIODIC_COMPACTION}). {@code <= 0}:
   *     no TTL, {@link #stateDescriptor()}. Flink 2.2 restores state written without TTL into this
   *     descriptor (the values are stamped with the restore time, so they expire one TTL after the
   *     restore unless written again), and TTL state into the descriptor without TTL.
   */
  public static ValueStateDescriptor<UserState> stateDescriptor(long ttlMs) {
    return withTtl(stateDescriptor(), ttlMs);
  }

  /** The descriptor of {@value #PENDING_STATE_NAME} with the retention of {@link #stateDescriptor(long)}. */
  public static ListStateDescriptor<AttentionEvent> pendingDescriptor(long ttlMs) {
    return withTtl(new ListStateDescriptor<>(PENDING_STATE_NAME, new AvroTypeInfo<>(AttentionEvent.class)), ttlMs);
  }

  /**
   * The descriptor of {@value #TIMER_STATE_NAME} ({@link #encodeTimer}: decode with {@link
   * #timerOf}, {@link #hasBuffered}) with the retention of {@link #stateDescriptor(long)}.
   */
  public static ValueStateDescriptor<Long> timerDescriptor(long ttlMs) {
    return withTtl(new ValueStateDescriptor<>(TIMER_STATE_NAME, Types.LONG), ttlMs);
  }

  /** Names of all the per-user keyed state: an erasure leaves no entry in any of them. */
  public static final List<String> KEYED_STATE_NAMES = List.of(STATE_NAME, PENDING_STATE_NAME, TIMER_STATE_NAME);

  private static <D extends org.apache.flink.api.common.state.StateDescriptor<?, ?>> D withTtl(D d, long ttlMs) {
    if (ttlMs > 0) {
      d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
          .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
          .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
          .setTtlTimeCharacteristic(StateTtlConfig.TtlTimeCharacteristic.ProcessingTime)
          .cleanupInRocksdbCompactFilter(TTL_COMPACTION_QUERY_TIME_AFTER_ENTRIES, TTL_PERIODIC_COMPACTION)
          .build());
    }
    return d;
  }

  private final long latenessMs;
  private final long dedupeWindowMs;
  private final SessionTracker tracker;
  private final InterestVectors interest;
  /** State TTL, ms; 0: none. */
  private long stateTtlMs;
  /** Erasures wait for event time to reach their requested_at (bounded runs); else at once. */
  private boolean erasureInEventTime;
  private boolean redactDeadLetters;
  private String deadLetterKeyFile;
  private transient Pseudonymizer idHasher;
  private final AttentionTracker attention;
  /** Index of each category in the rules' fixed set: topic trends refer to categories by it. */
  private final HashMap<String, Integer> categoryIndex = new HashMap<>();
  private final TrendContributions trends;

  private transient ValueState<UserState> state;
  private transient ListState<AttentionEvent> pendingState;
  private transient ValueState<Long> timerState;
  private transient CountedName duplicates;
  private transient CountedName late;
  private transient CountedName tooLate;
  private transient CountedName sessionsStarted;
  private transient CountedName sessionsClosed;
  private transient CountedName sessionsSuperseded;
  private transient CountedName unknownTopicEvents;
  private transient CountedName vectorsEmitted;
  private transient CountedName erasures;
  private transient CountedName[] alertsSent;
  private transient CountedName alertsSuppressedAge;
  private transient CountedName alertsOptedOut;
  private transient CountedName reportsEmitted;
  /** Open sessions of this subtask (started - closed - superseded); written by the task thread only. */
  private transient volatile long openSessions;
  /** The current watermark as last seen; written by the task thread only when it changes. */
  private transient volatile long lastWatermark;
  private transient ListState<Long> openSessionsState;
  /**
   * Events ahead of the watermark kept on the heap until it passes them, when the function runs in
   * {@link UserActivityOperator} ({@link #holdWaitingEvents}); null: they go to {@value
   * #PENDING_STATE_NAME} at once.
   */
  private transient WaitingEvents waiting;
  /** Most events {@link #waiting} holds; beyond, an arriving event goes to the state at once. */
  private transient int maxWaiting;
  /**
   * Write-behind cache of users' values when the function runs in {@link UserActivityOperator}
   * ({@link #cacheUsers}), in access order; null: every {@link #load} reads and every {@link #save}
   * writes the keyed state.
   */
  private transient java.util.LinkedHashMap<String, LoadedUser> cache;
  /** Most users {@link #cache} holds; the least recently used one is written back beyond. */
  private transient int maxCached;
  /** Sets the operator's current key, to write back a user other than the one being processed. */
  private transient java.util.function.Consumer<Object> setCurrentKey;
  /** The user {@link #load} returned last (the one {@link #save} writes). */
  private transient LoadedUser current;

  /**
   * A user's value as {@link #load} joined it, with what the keyed state holds, which {@link
   * #storeSplit} needs to write it back: the number of events in {@value #PENDING_STATE_NAME} and
   * the raw value of {@value #TIMER_STATE_NAME}. In the {@link #cache} also whether it must be
   * written back; {@code st} null there: the user's state is to be cleared.
   */
  private static final class LoadedUser {
    UserState st;
    int pendingLoaded;
    /** {@link #encodeTimer}, or Long.MIN_VALUE for none. */
    long timerStateLoaded = Long.MIN_VALUE;
    boolean dirty;
    /** The keyed state holds entries that writing back must clear first (an erasure, or all expired). */
    boolean clear;
    /** Written back at the last barrier: stays cached, clean, until the next one. */
    boolean written;
  }

  /**
   * @param gapMs inactivity gap, ms
   * @param maxSessionMs session cap, ms
   * @param latenessMs allowed lateness, ms
   * @param dedupeWindowMs event-time window of de-duplication, ms
   * @param halfLifeMs half-life of the interest vector, ms
   */
  public UserActivityFunction(long gapMs, long maxSessionMs, long latenessMs, long dedupeWindowMs, long halfLifeMs) {
    this(gapMs, maxSessionMs, latenessMs, dedupeWindowMs, halfLifeMs, AttentionSettings.defaults(gapMs, latenessMs),
        false);
  }

  /**
   * As {@link #UserActivityFunction(long, long, long, long, long)}, with the attention options.
   *
   * @param attention thresholds, cooldowns, category rules, zones (its gap and lateness should be
   *     {@code gapMs} and {@code latenessMs})
   * @param inferFromGaps {@code dwell.infer-from-gaps} (DESIGN.md section 5)
   */
  public UserActivityFunction(long gapMs, long maxSessionMs, long latenessMs, long dedupeWindowMs, long halfLifeMs,
      AttentionSettings attention, boolean inferFromGaps) {
    this.latenessMs = latenessMs;
    this.dedupeWindowMs = dedupeWindowMs;
    this.tracker = new SessionTracker(gapMs, maxSessionMs, latenessMs, inferFromGaps);
    this.interest = new InterestVectors(halfLifeMs);
    this.attention = new AttentionTracker(attention);
    List<String> categories = attention.rules().categories();
    for (int i = 0; i < categories.size(); i++) {
      categoryIndex.put(categories.get(i), i);
    }
    this.trends = new TrendContributions(categories, latenessMs);
  }

  /**
   * Sets the retention of the per-user state ({@code --state-ttl}, DESIGN.md section 9); call
   * before the job starts.
   *
   * @param ttl time to live in processing time since the last write; zero: no TTL
   * @return this
   */
  public UserActivityFunction withStateTtl(Duration ttl) {
    this.stateTtlMs = ttl.toMillis();
    return this;
  }

  /**
   * When erasure requests take effect ({@link #onControl}); call before the job starts.
   *
   * @param inEventTime true for a bounded run (a replay of history: {@code --bounded}), where a
   *     request takes effect at its {@code requested_at} in event time, so the replay erases the
   *     same events every time; false (the default) for a live job, where it takes effect as soon
   *     as it is read, whatever the watermark (a quiet stream must not hold an erasure back)
   * @return this
   */
  public UserActivityFunction withErasureInEventTime(boolean inEventTime) {
    this.erasureInEventTime = inEventTime;
    return this;
  }

  /**
   * Whether the event ids of this operator's dead letters ({@code TOO_LATE}) are redacted as the
   * doors redact them ({@code --dlq.redact}, DESIGN.md section 3): replaced by their HMAC under the
   * pseudonym key. Without this call they are kept as they are.
   *
   * @param redact {@code --dlq.redact}
   * @param keyFile the pseudonym key file, or null for the environment variable
   * @return this
   */
  public UserActivityFunction withDeadLetterRedaction(boolean redact, String keyFile) {
    this.redactDeadLetters = redact;
    this.deadLetterKeyFile = keyFile;
    return this;
  }

  @Override
  public void open(OpenContext openContext) {
    AvroCoders.useGeneratedCoders();
    idHasher = redactDeadLetters ? new Pseudonymizer(Pseudonymizer.loadKey(deadLetterKeyFile)) : null;
    state = getRuntimeContext().getState(stateDescriptor(stateTtlMs));
    pendingState = getRuntimeContext().getListState(pendingDescriptor(stateTtlMs));
    timerState = getRuntimeContext().getState(timerDescriptor(stateTtlMs));
    duplicates = CountedName.register(getRuntimeContext(), PipelineCounters.DUPLICATES);
    late = CountedName.register(getRuntimeContext(), PipelineCounters.LATE_EVENTS);
    tooLate = CountedName.register(getRuntimeContext(), PipelineCounters.deadLetters(DeadLetterReason.TOO_LATE));
    sessionsStarted = CountedName.register(getRuntimeContext(), PipelineCounters.SESSIONS_STARTED);
    sessionsClosed = CountedName.register(getRuntimeContext(), PipelineCounters.SESSIONS_CLOSED);
    sessionsSuperseded = CountedName.register(getRuntimeContext(), PipelineCounters.SESSIONS_SUPERSEDED);
    unknownTopicEvents = CountedName.register(getRuntimeContext(), PipelineCounters.UNKNOWN_TOPIC_EVENTS);
    vectorsEmitted = CountedName.register(getRuntimeContext(), PipelineCounters.INTEREST_VECTORS);
    erasures = CountedName.register(getRuntimeContext(), PipelineCounters.ERASURES);
    alertsSent = new CountedName[AlertType.values().length];
    for (AlertType type : AlertType.values()) {
      alertsSent[type.ordinal()] = CountedName.register(getRuntimeContext(), PipelineCounters.alerts(type));
    }
    alertsSuppressedAge = CountedName.register(getRuntimeContext(), PipelineCounters.ALERTS_SUPPRESSED_AGE);
    alertsOptedOut = CountedName.register(getRuntimeContext(), PipelineCounters.ALERTS_OPTED_OUT);
    reportsEmitted = CountedName.register(getRuntimeContext(), PipelineCounters.DAILY_REPORTS);
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
    lastWatermark = watermark;
  }

  /**
   * The detail of a TOO_LATE dead letter: the event time and the watermark as ISO-8601 instants
   * (any long is one), the distance in ms exactly (it may not fit in a long).
   */
  static String tooLateDetail(long eventTime, long watermark, long latenessMs) {
    java.math.BigInteger behind = java.math.BigInteger.valueOf(watermark).subtract(java.math.BigInteger.valueOf(eventTime));
    return "event_time " + java.time.Instant.ofEpochMilli(eventTime) + " is " + behind + " ms behind the watermark "
        + java.time.Instant.ofEpochMilli(watermark) + "; allowed lateness " + latenessMs + " ms";
  }

  @Override
  public void processElement(AttentionEvent e, Context ctx, Collector<SessionSummary> out) throws Exception {
    if (e.getKind() == EventKind.BUDGET || e.getKind() == EventKind.ERASURE) {
      onControl(e, ctx, out);
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    seeWatermark(watermark);
    long t = e.getEventTime();
    if (watermark != Long.MIN_VALUE && t < watermark - latenessMs) {
      tooLate.inc();
      ctx.output(SideOutputs.DEAD_LETTERS, DeadLetters.of(e, DeadLetterReason.TOO_LATE,
          tooLateDetail(t, watermark, latenessMs), System.currentTimeMillis(), idHasher));
      return;
    }
    if (t > watermark) {
      if (waiting != null && waiting.size() < maxWaiting) {
        waiting.add(ctx.getCurrentKey(), e); // no state access: applied by applyWaiting or written by writeWaiting
      } else if (cache != null) {
        // the cached value may be newer than the keyed state: buffer in it
        UserState st = load(ctx.getCurrentKey());
        insertPending(st.getPending(), e);
        save(st, ctx.timerService(), watermark);
      } else {
        buffer(e, ctx.timerService());
      }
      return;
    }
    UserState st = load(ctx.getCurrentKey());
    if (watermark != Long.MIN_VALUE) {
      Deduplication.prune(st, watermark - latenessMs - dedupeWindowMs);
    }
    if (!Deduplication.remember(st, Hashes.fnv64(e.getEventId()), t, dedupeWindowMs)) {
      duplicates.inc();
      return;
    }
    String user = ctx.getCurrentKey();
    Listener listener = new Listener(st, user, out, ctx);
    late.inc();
    apply(st, user, e, watermark, listener);
    flush(st, user, watermark, listener);
    save(st, ctx.timerService(), watermark);
  }

  /**
   * The hot path: an event ahead of the watermark is appended to {@value #PENDING_STATE_NAME}
   * (no read of the user's value; de-duplication happens when it is applied) and the user's one
   * timer is moved to its time if that is earlier.
   */
  private void buffer(AttentionEvent e, org.apache.flink.streaming.api.TimerService timers) throws Exception {
    String user = e.getUser();
    String sourceTopic = e.getSourceTopic();
    int sourcePartition = e.getSourcePartition();
    long sourceOffset = e.getSourceOffset();
    e.setUser("");
    e.setSourceTopic("");
    e.setSourcePartition(-1);
    e.setSourceOffset(-1L);
    pendingState.add(e); // serialized here: the input record is left as it came
    e.setUser(user);
    e.setSourceTopic(sourceTopic);
    e.setSourcePartition(sourcePartition);
    e.setSourceOffset(sourceOffset);
    Long raw = timerState.value();
    if (raw == null || e.getEventTime() < timerOf(raw)) {
      if (raw != null) {
        timers.deleteEventTimeTimer(timerOf(raw));
      }
      timers.registerEventTimeTimer(e.getEventTime());
      timerState.update(encodeTimer(e.getEventTime(), true));
    } else if (!hasBuffered(raw)) {
      timerState.update(encodeTimer(timerOf(raw), true));
    }
  }

  /**
   * The value of {@value #TIMER_STATE_NAME}: the registered timer (ms) shifted left by one, the
   * low bit set when {@value #PENDING_STATE_NAME} holds events, so that a timer that only closes
   * sessions or releases reports and trend hours (about half of them) skips reading the list.
   */
  static long encodeTimer(long timer, boolean buffered) {
    return (timer << 1) | (buffered ? 1 : 0);
  }

  /** @return the timer (ms) of a {@value #TIMER_STATE_NAME} value ({@link #encodeTimer}) */
  public static long timerOf(long raw) {
    return raw >> 1;
  }

  /** @return whether a {@value #TIMER_STATE_NAME} value ({@link #encodeTimer}) says events are buffered */
  public static boolean hasBuffered(long raw) {
    return (raw & 1) == 1;
  }

  /**
   * The user's value with the buffered events ({@code pending}, in event-time order, their {@code
   * user} restored) and the registered timer ({@code next_timer}) put back in: everything below
   * works on this one object, and {@link #save} splits it again.
   */
  private UserState load(String user) throws Exception {
    LoadedUser cached = cache == null ? null : cache.get(user);
    if (cached != null) {
      current = cached;
      if (cached.st == null) {
        cached.st = UserState.newBuilder().build();
      }
      return cached.st;
    }
    current = loadFromState(user);
    if (cache != null) {
      cache.put(user, current);
      if (cache.size() > maxCached) {
        evictEldest(user);
      }
    }
    return current.st;
  }

  /** {@link #load} from the keyed state. */
  private LoadedUser loadFromState(String user) throws Exception {
    LoadedUser loaded = new LoadedUser();
    UserState st = state.value();
    if (st == null) {
      st = UserState.newBuilder().build();
    }
    loaded.st = st;
    Long raw = timerState.value();
    if (raw != null) {
      loaded.timerStateLoaded = raw;
      st.setNextTimer(timerOf(raw));
    }
    if (raw != null && hasBuffered(raw)) {
      List<AttentionEvent> pending = st.getPending(); // non-empty only in state written before the split
      for (AttentionEvent e : pendingState.get()) {
        loaded.pendingLoaded++;
        e.setUser(user);
        insertPending(pending, e);
      }
    }
    return loaded;
  }

  /**
   * A control record of this user, never TOO_LATE and never de-duplicated. An {@code
   * AttentionBudget} (BUDGET, DESIGN.md section 2; event time = {@code updated_at}) ahead of the
   * watermark waits in {@code pending} and is applied in event-time order with the events; one
   * behind it is applied at once. An {@code ErasureRequest} (ERASURE, DESIGN.md section 9: {@code
   * event_id} = request id, {@code event_time} = {@code requested_at}): in a live
   * job it is applied ({@link #erase}) as soon as it is read, with every pending event: a quiet
   * stream, whose watermark stands still, must not hold an erasure back. In a bounded run ({@link
   * #withErasureInEventTime}) it takes effect in event time, so that a replay erases the same
   * events every time: one ahead of the watermark waits in {@code pending} and is applied in
   * event-time order with the events (after those of the same millisecond), events after it stay
   * and start from empty state; one the watermark has passed is applied at once.
   */
  private void onControl(AttentionEvent control, Context ctx, Collector<SessionSummary> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    seeWatermark(watermark);
    String user = ctx.getCurrentKey();
    UserState st = load(user);
    if (waiting != null) {
      for (AttentionEvent e : waiting.takeAll(user)) {
        insertPending(st.getPending(), e); // an erasure must see them; a budget joins them
      }
    }
    Listener listener = new Listener(st, user, out, ctx);
    boolean erasure = control.getKind() == EventKind.ERASURE;
    if (erasure && !erasureInEventTime) {
      erase(st, control, false, ctx);
    } else if (control.getEventTime() > watermark) {
      insertPending(st.getPending(), control);
    } else if (erasure) {
      erase(st, control, true, ctx);
    } else {
      apply(st, user, control, watermark, listener);
    }
    flush(st, user, watermark, listener);
    save(st, ctx.timerService(), watermark);
  }

  /**
   * Erases the user: clears every field of {@code st} in place (sessions, pending events up to the
   * request, de-duplication memory, interest vector, attention state, open topic-trend hours and
   * every field added later: all per-user state is this one value), deletes the registered timer
   * ({@code next_timer}; the operator keeps at most one), drops open sessions without a summary
   * (the {@code openSessions} gauge goes down by their number), writes a tombstone for the
   * pseudonym through {@link #INTEREST_VECTORS} (after any vector written before) and an {@link
   * ErasureConfirmation} ({@code erased_at}: processing time; {@code cleared}: {@link
   * Erasure#cleared}) to {@link #ERASURES}; counts {@code erasures}. A user without state gets the
   * tombstone and a confirmation with nothing cleared. Events after the request (with {@code keepLater}, in
   * event-time order) stay pending and start from empty state.
   *
   * @param keepLater keep the pending events after the request (bounded runs), else drop them all
   */
  private void erase(UserState st, AttentionEvent request, boolean keepLater, Context ctx) {
    List<AttentionEvent> keep = new ArrayList<>();
    List<AttentionEvent> dropped = new ArrayList<>();
    for (AttentionEvent e : st.getPending()) {
      if (e != request) {
        (keepLater && EVENT_ORDER.compare(e, request) > 0 ? keep : dropped).add(e);
      }
    }
    st.setPending(dropped);
    List<String> cleared = Erasure.cleared(st);
    if (st.getNextTimer() != Long.MIN_VALUE) {
      ctx.timerService().deleteEventTimeTimer(st.getNextTimer());
    }
    openSessions -= Erasure.openSessions(st);
    UserState empty = UserState.newBuilder().build();
    for (int i = 0; i < empty.getSchema().getFields().size(); i++) {
      st.put(i, empty.get(i));
    }
    st.setPending(keep);
    String user = ctx.getCurrentKey();
    ctx.output(SideOutputs.INTEREST_VECTORS, Erasure.tombstone(user));
    ctx.output(SideOutputs.ERASURES, Erasure.confirmation(request.getEventId(), user,
        ctx.timerService().currentProcessingTime(), cleared));
    erasures.inc();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionSummary> out) throws Exception {
    String user = ctx.getCurrentKey();
    UserState st = load(user);
    if (st.getNextTimer() == timestamp) {
      st.setNextTimer(Long.MIN_VALUE);
    }
    catchUp(st, user, ctx.timerService().currentWatermark(), ctx, out);
  }

  /**
   * What the user's timer does once the watermark has passed it: applies the buffered events up to
   * {@code watermark}, emits what is complete by then, cleans up, writes the state back.
   */
  private void catchUp(UserState st, String user, long watermark, Context ctx, Collector<SessionSummary> out)
      throws Exception {
    seeWatermark(watermark);
    Listener listener = new Listener(st, user, out, ctx);
    flush(st, user, watermark, listener);
    advanceTo(st, user, watermark, listener);
    attention.beforeCleanUp(st, watermark);
    tracker.cleanUp(st, watermark);
    Deduplication.prune(st, watermark - latenessMs - dedupeWindowMs);
    save(st, ctx.timerService(), watermark);
  }

  /**
   * Keeps events ahead of the watermark on the heap ({@link WaitingEvents}) instead of writing each
   * to {@value #PENDING_STATE_NAME} with a timer: {@link UserActivityOperator} calls this in {@code
   * open}, then {@link #applyWaiting} at every watermark and {@link #writeWaiting} before every
   * checkpoint barrier and at the end of input.
   *
   * @param maxEvents most events held per subtask; beyond, an arriving event is written to the state at once
   */
  void holdWaitingEvents(int maxEvents) {
    this.waiting = new WaitingEvents();
    this.maxWaiting = maxEvents;
  }

  /** @return the events held on the heap ({@link #holdWaitingEvents}), or null */
  WaitingEvents waiting() {
    return waiting;
  }

  /**
   * For the current key ({@code user}), whose waiting events {@code due} the watermark has passed:
   * applies them with any buffered in the state, exactly as the user's timer would at {@code
   * watermark} (the values written are the same), and deletes that timer if it is due too, since
   * this did its work.
   *
   * @param due events at or before {@code watermark} (ms), taken from {@link #waiting()}
   * @param watermark the watermark the operator is about to advance to, ms
   */
  void applyWaiting(String user, List<AttentionEvent> due, long watermark, Context ctx, Collector<SessionSummary> out)
      throws Exception {
    UserState st = load(user);
    for (AttentionEvent e : due) {
      insertPending(st.getPending(), e);
    }
    if (st.getNextTimer() != Long.MIN_VALUE && st.getNextTimer() <= watermark) {
      ctx.timerService().deleteEventTimeTimer(st.getNextTimer());
      st.setNextTimer(Long.MIN_VALUE);
    }
    catchUp(st, user, watermark, ctx, out);
  }

  /**
   * For the current key: writes events still waiting on the heap to {@value #PENDING_STATE_NAME}
   * with the user's timer, as if each had just arrived (before a checkpoint barrier, so that the
   * checkpoint holds them).
   */
  void writeWaiting(String user, List<AttentionEvent> events, org.apache.flink.streaming.api.TimerService timers)
      throws Exception {
    if (cache != null) {
      cache.remove(user); // written back (clean) just before: the next load reads these events with it
    }
    for (AttentionEvent e : events) {
      buffer(e, timers);
    }
  }

  /**
   * Applies buffered events the watermark has passed, in event-time order. Sessions that an event
   * proves complete ({@code end + gap <= its time}) close before it is applied, so a session's
   * closing records (and the interest vector as of its end) never include later events.
   */
  private void flush(UserState st, String user, long watermark, Listener listener) {
    List<AttentionEvent> pending = st.getPending();
    if (!pending.isEmpty() && pending.get(0).getEventTime() <= watermark && watermark != Long.MIN_VALUE) {
      Deduplication.prune(st, watermark - latenessMs - dedupeWindowMs);
    }
    int n = 0;
    while (n < pending.size() && pending.get(n).getEventTime() <= watermark) {
      AttentionEvent e = pending.get(n);
      advanceTo(st, user, e.getEventTime(), listener);
      if (e.getKind() == EventKind.ERASURE) {
        st.setPending(new ArrayList<>(pending.subList(n, pending.size()))); // the applied ones are in the state
        erase(st, e, true, listener.ctx);
        pending = st.getPending();
        n = 0;
        continue;
      }
      n++;
      if (e.getKind() != EventKind.BUDGET && !Deduplication.remember(st, Hashes.fnv64(e.getEventId()), e.getEventTime(), dedupeWindowMs)) {
        duplicates.inc();
        continue;
      }
      apply(st, user, e, watermark, listener);
    }
    if (n > 0) {
      st.setPending(new ArrayList<>(pending.subList(n, pending.size())));
    }
  }

  /**
   * What is complete by event time {@code t} goes out before anything at {@code t} is applied:
   * sessions that ended a gap before it ({@code end + gap <= t}) close, daily reports whose day
   * plus gap plus lateness is over by {@code t}, and topic-trend hours whose end plus lateness is.
   * Called before each buffered event and at the watermark, so what is emitted does not depend on
   * how far one watermark step jumps (e.g. a day's report never sees a later erasure or session).
   */
  private void advanceTo(UserState st, String user, long t, Listener listener) {
    tracker.close(st, user, t, listener);
    attention.emitReports(st, user, t, listener);
    for (TrendContribution c : trends.due(st, t)) {
      listener.ctx.output(SideOutputs.TREND_CONTRIBUTIONS, c);
    }
  }

  /**
   * Sessions, then the interest vector, then the attention metrics and alerts: one event, one pass
   * over the state. A BUDGET record goes to the budget timeline.
   */
  private void apply(UserState st, String user, AttentionEvent e, long watermark, Listener listener) {
    if (e.getKind() == EventKind.BUDGET) {
      attention.applyBudget(st, user, e, watermark, listener);
      return;
    }
    attention.beginEvent(st, e);
    tracker.apply(st, user, e, watermark, listener);
    listener.vector(interest.onEvent(st, user, e.getEventTime()));
    attention.afterEvent(st, user, e, listener);
  }

  /** Writes the state back (or clears it when nothing is left) and keeps one timer registered. */
  private void save(UserState st, org.apache.flink.streaming.api.TimerService timers, long watermark) throws Exception {
    if (st.getSessions().isEmpty() || st.getTopicDictionary().size() > 2 * InterestVectors.MAX_TOPICS) {
      TopicDictionary.compact(st);
    }
    if (st.getSessions().isEmpty() && st.getPending().isEmpty() && st.getDedupeHashes().isEmpty()
        && st.getInterest() == null && AttentionTracker.isEmpty(st) && st.getTrendWindows().isEmpty()) {
      if (cache != null) {
        current.st = null;
        current.clear = true;
        current.dirty = true;
        return;
      }
      state.clear();
      timerState.clear(); // a registered timer fires on empty state and does nothing
      if (current.pendingLoaded > 0) {
        pendingState.clear();
      }
      return;
    }
    long needed = Math.min(Math.min(tracker.nextDeadline(st), attention.nextDeadline(st)), trends.nextDeadline(st));
    if (!st.getPending().isEmpty()) {
      needed = Math.min(needed, st.getPending().get(0).getEventTime());
    }
    if (needed != Long.MAX_VALUE && (st.getNextTimer() == Long.MIN_VALUE || needed < st.getNextTimer())) {
      if (st.getNextTimer() != Long.MIN_VALUE) {
        // One timer per user: the later one is not needed (the earlier one re-derives it), and an
        // erasure deletes exactly the timer in next_timer.
        timers.deleteEventTimeTimer(st.getNextTimer());
      }
      timers.registerEventTimeTimer(needed);
      st.setNextTimer(needed);
    }
    if (cache != null) {
      current.st = st;
      current.dirty = true;
      return;
    }
    storeSplit(st, current.pendingLoaded, current.timerStateLoaded);
  }

  /**
   * Keeps users' values on the heap between checkpoints ({@link UserActivityOperator}): {@link
   * #load} reads the keyed state only on a miss, {@link #save} only marks the value dirty, and
   * {@link #writeCache} writes the dirty ones back before every checkpoint barrier. So a user's
   * events and timers between two checkpoints cost one read and one write of the state in all.
   *
   * @param maxUsers most users held per subtask; beyond, the least recently used is written back and dropped
   * @param setCurrentKey sets the operator's current key, to write back a user other than the one processed
   */
  void cacheUsers(int maxUsers, java.util.function.Consumer<Object> setCurrentKey) {
    this.cache = new java.util.LinkedHashMap<>(16, 0.75f, true);
    this.maxCached = maxUsers;
    this.setCurrentKey = setCurrentKey;
  }

  /**
   * Writes every dirty cached user back to the keyed state (before a checkpoint barrier and at the
   * end of input). With {@code keepWritten} the users just written stay cached, clean, for one
   * more checkpoint interval (a user untouched since the last barrier is dropped, so state TTL,
   * which counts from the last write, is never bypassed by more than that); without it the cache
   * is emptied: the heap state backend shares the objects it holds with its snapshots, which must
   * not change after a snapshot has begun.
   */
  void writeCache(boolean keepWritten) throws Exception {
    if (cache == null || cache.isEmpty()) {
      return;
    }
    var it = cache.entrySet().iterator();
    while (it.hasNext()) {
      var entry = it.next();
      LoadedUser c = entry.getValue();
      if (c.dirty) {
        setCurrentKey.accept(entry.getKey());
        writeBack(c);
      }
      if (!keepWritten || !c.written) {
        it.remove();
      } else {
        c.written = false; // dropped at the next barrier unless saved again
      }
    }
    current = null;
  }

  private void evictEldest(String processing) throws Exception {
    var it = cache.entrySet().iterator();
    var eldest = it.next();
    it.remove();
    if (eldest.getValue().dirty) {
      setCurrentKey.accept(eldest.getKey());
      writeBack(eldest.getValue());
      setCurrentKey.accept(processing);
    }
  }

  /**
   * Writes one cached user to the keyed state of the current key, which must be that user; the
   * entry is then clean and matches the state (its value keeps its buffered events and timer).
   */
  private void writeBack(LoadedUser c) throws Exception {
    if (c.clear) {
      state.clear();
      timerState.clear();
      pendingState.clear();
    }
    if (c.st == null) {
      c.pendingLoaded = 0;
      c.timerStateLoaded = Long.MIN_VALUE;
    } else {
      List<AttentionEvent> pending = c.st.getPending();
      long timer = c.st.getNextTimer();
      // takes the events and timer out of the value it writes
      storeSplit(c.st, c.clear ? 0 : c.pendingLoaded, c.clear ? Long.MIN_VALUE : c.timerStateLoaded);
      c.st.setPending(pending);
      c.st.setNextTimer(timer);
      c.pendingLoaded = pending.size();
      c.timerStateLoaded = timer == Long.MIN_VALUE ? Long.MIN_VALUE : encodeTimer(timer, !pending.isEmpty());
    }
    c.clear = false;
    c.dirty = false;
    c.written = true;
  }

  /**
   * Writes {@code st} back as {@link #load} split it: buffered events, timer, the rest.
   *
   * @param pendingLoaded events the list holds now: it is rewritten only when there were or are some
   * @param timerStateLoaded the raw timer value the state holds now: written only when it changes
   */
  private void storeSplit(UserState st, int pendingLoaded, long timerStateLoaded) throws Exception {
    List<AttentionEvent> pending = st.getPending();
    if (pendingLoaded > 0 || !pending.isEmpty()) {
      if (pending.isEmpty()) {
        pendingState.clear();
      } else {
        String user = pending.get(0).getUser();
        for (AttentionEvent e : pending) {
          e.setUser("");
        }
        pendingState.update(pending); // serialized here
        for (AttentionEvent e : pending) {
          e.setUser(user);
        }
      }
    }
    long raw = st.getNextTimer() == Long.MIN_VALUE ? Long.MIN_VALUE : encodeTimer(st.getNextTimer(), !pending.isEmpty());
    if (raw != timerStateLoaded) {
      if (raw == Long.MIN_VALUE) {
        timerState.clear();
      } else {
        timerState.update(raw);
      }
    }
    st.setPending(new ArrayList<>());
    st.setNextTimer(Long.MIN_VALUE);
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
  public static final java.util.Comparator<AttentionEvent> EVENT_ORDER =
      java.util.Comparator.comparingLong(AttentionEvent::getEventTime)
          .thenComparing(AttentionEvent::getKind)
          .thenComparing(AttentionEvent::getEventId);

  /**
   * Sends summaries, vectors, alerts and reports out, keeps the counters, feeds signals to the
   * interest vector and views and engaged time to the attention metrics.
   */
  private final class Listener implements SessionTracker.Listener, AttentionTracker.Output {
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
        for (SessionState s : st.getSessions()) {
          if (s.getSessionId().equals(summary.getSessionId())) {
            attention.sessionClosed(st, s);
          }
        }
        vector(interest.onSessionClosed(st, user, summary.getEnd().toEpochMilli()));
      } else if (summary.getStatus() == SessionStatus.SUPERSEDED) {
        attention.sessionSuperseded(st, summary.getStart().toEpochMilli());
      }
    }

    @Override
    public void viewStarted(SessionState session, ViewState view) {
      attention.viewStarted(st, session, view, this);
    }

    @Override
    public void engaged(List<Integer> topics, List<Double> shares, long before, long ms, long t) {
      attention.engaged(st, topics, shares, before, ms, t, this);
    }

    @Override
    public void started(SessionState session) {
      started();
      attention.sessionStarted(st, session);
    }

    /**
     * A view started or engaged time in {@code category} at {@code t}: the user's bounded
     * contribution to the hour's topic trends (DESIGN.md section 9). Categories outside the rules'
     * fixed set (none, as the rules map every topic into it) are not counted.
     */
    @Override
    public void contribution(String category, long t, long engagedMs, int views) {
      Integer index = categoryIndex.get(category);
      if (index == null) {
        return;
      }
      if (views > 0) {
        trends.viewed(st, index, t);
      }
      if (engagedMs > 0) {
        trends.engaged(st, index, t, engagedMs);
      }
    }

    @Override
    public void alert(AttentionAlert alert) {
      long maxAge = attention.settings().maxAgeMs();
      if (maxAge > 0 && alert.getEventTime().toEpochMilli() < ctx.timerService().currentProcessingTime() - maxAge) {
        alertsSuppressedAge.inc();
        return;
      }
      alertsSent[alert.getType().ordinal()].inc();
      ctx.output(SideOutputs.ALERTS, alert);
    }

    @Override
    public void optedOut(AlertType type) {
      alertsOptedOut.inc();
    }

    @Override
    public void report(DailyAttentionReport report) {
      reportsEmitted.inc();
      ctx.output(SideOutputs.REPORTS, report);
    }

    void vector(InterestVector v) {
      if (v != null) {
        vectorsEmitted.inc();
        ctx.output(SideOutputs.INTEREST_VECTORS, InterestVectorUpdate.newBuilder().setUser(user).setVector(v).build());
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
