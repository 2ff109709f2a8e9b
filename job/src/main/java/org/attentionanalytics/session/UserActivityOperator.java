package org.attentionanalytics.session;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.pipeline.AppliedContext;
import org.attentionanalytics.pipeline.SideOutputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link UserActivityFunction} with the events that arrive ahead of the watermark held on
 * the heap ({@link WaitingEvents}) rather than written one by one to the keyed state with a timer
 * each. When a watermark arrives, before Flink fires the timers it has passed, each user with
 * waiting events at or before it has them applied in one read and one write of the state ({@link
 * UserActivityFunction#applyWaiting}), exactly as the user's timer would have: same values, same
 * order. Before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}) and at the end of
 * input ({@link #finish}) the events still waiting are written to the keyed state with their timers
 * ({@link UserActivityFunction#writeWaiting}), so a checkpoint or savepoint holds every event the
 * operator has received, restores at any parallelism, and nothing on the heap is needed after a
 * failure (the sources rewind to the checkpoint).
 *
 * <p>An event applied before the next checkpoint costs no state access of its own, and a user's
 * events between two watermarks share one read-modify-write (BENCHMARKS.md).
 *
 * <p>Memory: at most {@code maxWaiting} events per subtask; beyond, an arriving event goes to the
 * keyed state at once, as without this operator.
 *
 * <p>With live vectors ({@link UserActivityFunction#withLiveVectors}) it also writes, as each event
 * arrives, the user's live interest vector ({@link SideOutputs#LIVE_INTEREST_VECTORS}, DESIGN.md
 * section 6), paced per user by a {@link LiveThrottle} on processing-time timers; what the throttle
 * holds goes out before every barrier and at the end of input. With item signals too, a live
 * vector that follows a view comes with a LIVE_VIEW request for {@code recommendations-live}
 * (DESIGN.md section 12) on {@link SideOutputs#ITEM_SIGNALS}.
 */
public final class UserActivityOperator extends KeyedProcessOperator<String, AttentionEvent, SessionSummary> {
    private static final long serialVersionUID = 1L;

    /** Default of {@code maxWaiting}: about 30 MB of events on the heap per subtask at most. */
    public static final int DEFAULT_MAX_WAITING_EVENTS = 100_000;

    /**
     * {@code maxCachedUsers} that sizes the cache in the task: as many users as fit in the subtask's
     * part of {@link #HEAP_SHARE_PERCENT} % of the JVM's maximum heap (shared by the TaskManager's
     * slots) at {@link #BYTES_PER_CACHED_USER} bytes each.
     */
    public static final int HEAP_SHARE = -1;

    /** Share of the JVM's maximum heap that the caches of all the TaskManager's slots take, for {@link #HEAP_SHARE}. */
    public static final int HEAP_SHARE_PERCENT = 40;

    /**
     * Heap per cached user, bytes: measured about 5 KB for a user with two sessions, eight views with
     * dwell and a few topics, and 3.7 KB for the benchmark's users (the Avro objects of {@code
     * UserState}, not their 1 KB serialized form).
     */
    public static final long BYTES_PER_CACHED_USER = 5_000;

    /**
     * @param slots the TaskManager's task slots ({@code taskmanager.numberOfTaskSlots}), which share the heap
     * @return {@code maxCachedUsers} as given, or sized from {@code maxHeapBytes} for {@link #HEAP_SHARE}
     */
    static int cachedUsers(int maxCachedUsers, long maxHeapBytes, int slots) {
        if (maxCachedUsers != HEAP_SHARE) {
            return maxCachedUsers;
        }
        long share = maxHeapBytes / 100 * HEAP_SHARE_PERCENT / Math.max(1, slots);
        return (int) Math.min(Integer.MAX_VALUE, share / BYTES_PER_CACHED_USER);
    }

    private static final Logger LOG = LoggerFactory.getLogger(UserActivityOperator.class);

    /** A watermark step at least this long is logged, ms. */
    static final long SLOW_WATERMARK_STEP_MS = 1_000;

    /** Least processing time between two checks of the held live vectors, ms. */
    private static final long LIVE_FLUSH_MS = 50;

    private final int maxWaiting;
    private final int maxCachedUsers;
    private transient UserActivityFunction function;
    private transient TimerService timers;
    private transient TimestampedCollector<SessionSummary> collector;
    private transient AppliedContext<String, AttentionEvent, SessionSummary> context;
    /** Users written back at a barrier stay cached (not with the heap state backend: see writeCache). */
    private transient boolean keepWritten;
    /** Paces live vectors ({@link UserActivityFunction#withLiveVectors}), or null without them. */
    private transient LiveThrottle live;
    /** Processing time of the registered flush of held live vectors; Long.MAX_VALUE: none. */
    private transient long liveFlushAt;
    /**
     * The views of each user since their last live record ({@link LiveViews#ofView}, merged), kept
     * because the watermark may move them out of the state while the record is held back; the live
     * recommendation request made from them and the state goes out with that record. Null without
     * live recommendations.
     */
    private transient Map<String, ItemSignal> liveViews;
    /** The next live request's id: increasing, and after a restore larger than before it (the clock's). */
    private transient long nextLiveId;

    /**
     * @param function the per-user function; holds up to {@link #DEFAULT_MAX_WAITING_EVENTS} events
     *     and a {@link #HEAP_SHARE} of users
     */
    public UserActivityOperator(UserActivityFunction function) {
        this(function, DEFAULT_MAX_WAITING_EVENTS, HEAP_SHARE);
    }

    /**
     * @param function the per-user function
     * @param maxWaiting most events held on the heap per subtask (0: none, every event goes to the
     *     keyed state as it arrives)
     * @param maxCachedUsers most users' values held on the heap per subtask between checkpoints
     *     ({@link CachedUserStore}; 0: none, every event reads and writes the state;
     *     {@link #HEAP_SHARE}: sized from the heap)
     */
    public UserActivityOperator(UserActivityFunction function, int maxWaiting, int maxCachedUsers) {
        super(function);
        this.maxWaiting = maxWaiting;
        this.maxCachedUsers = maxCachedUsers;
    }

    @Override
    public void open() throws Exception {
        super.open();
        function = (UserActivityFunction) getUserFunction();
        // The timer service KeyedProcessOperator registered under this name (a second call returns it).
        timers = new SimpleTimerService(getInternalTimerService(
                UserStateDescriptors.TIMER_SERVICE_NAME, VoidNamespaceSerializer.INSTANCE, this));
        collector = new TimestampedCollector<>(output);
        context = new AppliedContext<>(function, timers, output, () -> (String) getCurrentKey());
        function.holdWaitingEvents(maxWaiting);
        keepWritten = !(getKeyedStateBackend() instanceof org.apache.flink.runtime.state.heap.HeapKeyedStateBackend);
        if (function.liveMinIntervalMs() >= 0) {
            live = new LiveThrottle(function.liveMinIntervalMs(), function.liveLingerMs());
            liveFlushAt = Long.MAX_VALUE;
            if (function.wantsLiveViews()) {
                liveViews = new HashMap<>();
                nextLiveId = System.currentTimeMillis() * 1_000;
            }
        }
        int slots = getContainingTask()
                .getEnvironment()
                .getTaskManagerInfo()
                .getConfiguration()
                .get(TaskManagerOptions.NUM_TASK_SLOTS);
        int cached = cachedUsers(maxCachedUsers, Runtime.getRuntime().maxMemory(), slots);
        if (cached > 0) {
            function.cacheUsers(
                    cached,
                    this::setCurrentKey,
                    () -> getProcessingTimeService().getCurrentProcessingTime());
        }
    }

    /**
     * After the function has taken the event: the user's live vector goes out now, or once the user's
     * {@code --live.min-interval} has passed ({@link LiveThrottle}).
     */
    @Override
    public void processElement(StreamRecord<AttentionEvent> element) throws Exception {
        super.processElement(element);
        if (live == null) {
            return;
        }
        afterLiveTombstones();
        EventKind kind = element.getValue().getKind();
        if (kind == EventKind.BUDGET || kind == EventKind.FOCUS_BLOCKS || kind == EventKind.ERASURE) {
            return;
        }
        String user = (String) getCurrentKey();
        if (liveViews != null && kind == EventKind.CLICK && element.getValue().getEventType() == EventType.VIEW) {
            ItemSignal view = LiveViews.ofView(element.getValue());
            if (view != null) {
                liveViews.merge(user, view, LiveViews::merge);
            }
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (live.offer(user, now)) {
            emitLive(user);
        }
        if (liveFlushAt == Long.MAX_VALUE && live.nextDue() != Long.MAX_VALUE) {
            scheduleLiveFlush(now);
        }
    }

    /** The next {@link #flushLive}: when the oldest remembered user is due, at least {@link #LIVE_FLUSH_MS} from now. */
    private void scheduleLiveFlush(long now) {
        liveFlushAt = Math.max(live.nextDue(), now + LIVE_FLUSH_MS);
        getProcessingTimeService().registerTimer(liveFlushAt, this::flushLive);
    }

    /** Sends the held live vectors that are due, forgets the users sent long enough ago. */
    private void flushLive(long time) throws Exception {
        liveFlushAt = Long.MAX_VALUE;
        long now = Math.max(time, getProcessingTimeService().getCurrentProcessingTime());
        for (String user : live.due(now)) {
            setCurrentKey(user);
            emitLive(user);
        }
        if (live.nextDue() != Long.MAX_VALUE) {
            scheduleLiveFlush(now);
        }
    }

    /**
     * After an erasure's tombstone: the user's last live record is no record, and the events after
     * the erasure (event time, in a bounded run) have a live vector of their own to send after it.
     */
    private void afterLiveTombstones() throws Exception {
        List<String> users = function.takeLiveTombstones();
        if (users.isEmpty()) {
            return;
        }
        Object key = getCurrentKey();
        for (String user : users) {
            if (liveViews != null) {
                liveViews.remove(user); // made from views the erasure removed: no list from them after the tombstone
            }
            setCurrentKey(user);
            emitLive(user);
        }
        if (key != null) {
            setCurrentKey(key);
        }
    }

    /** Sends every held live vector now: a checkpoint must not hold back what the sink owes (at least once). */
    private void drainLive() throws Exception {
        for (String user : live.drain(getProcessingTimeService().getCurrentProcessingTime())) {
            setCurrentKey(user);
            emitLive(user);
        }
    }

    /** Sends the user's live vector and, after a view, a live recommendation request. */
    private void emitLive(String user) throws Exception {
        InterestVector v = function.liveVector(user);
        if (v != null) {
            output.collect(
                    SideOutputs.LIVE_INTEREST_VECTORS,
                    new StreamRecord<>(
                            new InterestVectorUpdate(user, v), v.getAsOf().toEpochMilli()));
        }
        ItemSignal views = liveViews == null ? null : liveViews.remove(user);
        if (views != null) {
            ItemSignal request = LiveViews.merge(views, function.liveViewSignal(user));
            request.setLiveId(nextLiveId++);
            output.collect(SideOutputs.ITEM_SIGNALS, new StreamRecord<>(request, request.getTime()));
        }
    }

    /**
     * Applies the waiting events the watermark passes, then lets Flink fire the timers it passes. A
     * step that holds the task thread for {@link #SLOW_WATERMARK_STEP_MS} or more (checkpoint
     * barriers wait behind it) is logged with its users and timers.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long started = System.nanoTime();
        WaitingEvents waiting = function.waiting();
        long watermark = mark.getTimestamp();
        function.seeWatermark(watermark);
        int users = 0;
        for (String user = waiting.nextDue(watermark); user != null; user = waiting.nextDue(watermark)) {
            users++;
            List<AttentionEvent> due = waiting.takeUpTo(user, watermark);
            setCurrentKey(user);
            long first = due.get(0).getEventTime(); // what the user's timer would have been
            collector.setAbsoluteTimestamp(first);
            context.timestamp = first;
            function.applyWaiting(user, due, watermark, context, collector);
        }
        long applied = System.nanoTime();
        super.processWatermark(mark);
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (ms >= SLOW_WATERMARK_STEP_MS) {
            LOG.warn(
                    "Watermark step to {} took {} ms: waiting events of {} users applied in {} ms, then timers",
                    Instant.ofEpochMilli(watermark),
                    ms,
                    users,
                    (applied - started) / 1_000_000);
        }
        if (live != null) {
            afterLiveTombstones();
        }
    }

    /** Writes the waiting events to the keyed state, so that the checkpoint holds them. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        if (live != null) {
            drainLive(); // first: its state reads must come before the write-back
        }
        function.writeCache(keepWritten); // first: writeWaiting reads the timers it writes
        writeWaiting();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        if (live != null) { // the held users' last live vectors, before the cache and the waiting events go
            drainLive();
        }
        function.writeCache(false);
        writeWaiting(); // events the final watermark did not reach (none after a MAX watermark)
        super.finish();
    }

    private void writeWaiting() throws Exception {
        WaitingEvents waiting = function.waiting();
        for (String user : waiting.users()) {
            setCurrentKey(user);
            function.writeWaiting(user, waiting.takeAll(user), timers);
        }
        waiting.clear();
    }
}
