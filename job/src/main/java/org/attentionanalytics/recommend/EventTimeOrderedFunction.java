package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A keyed function of the recommendations that applies its records one event time at a time, in
 * event-time order and, within one time, in a fixed {@code order}, once the watermark passes them
 * ({@link TimeBuffer}): what it computes then does not depend on arrival order (DESIGN.md section
 * 12). A record the watermark has already passed (late) is applied at once, on its own.
 *
 * <p>Run by an {@link EventTimeOrderedOperator}, the records wait on the heap ({@link
 * HeapTimeBuffer}) rather than in the keyed state, and go to the state only before a checkpoint
 * barrier or when the heap holds its most: same order, same values, no state access per record.
 *
 * @param <K> the key
 * @param <T> the Avro record type of the input
 * @param <O> the output
 */
public abstract class EventTimeOrderedFunction<K, T extends SpecificRecordBase, O>
        extends KeyedProcessFunction<K, T, O> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    /** The records waiting for the watermark in the keyed state. */
    private transient TimeBuffer<T> waiting;
    /** The records waiting for the watermark on the heap ({@link #holdOnHeap}), or null: none there. */
    private transient HeapTimeBuffer<K, T> held;

    private transient int maxHeld;
    /**
     * The (key, time) pairs with records waiting in the keyed state (restored, or written since):
     * their later records wait there too, so that one key's records of one time are applied together.
     */
    private transient Set<HeapTimeBuffer.Due<K>> stored;
    /** The (key, time) pairs applied from the heap in this watermark step: their timers find nothing left. */
    private transient Set<HeapTimeBuffer.Due<K>> appliedFromHeap;

    /** @param type the input's Avro class (the waiting records' serializer) */
    EventTimeOrderedFunction(Class<T> type) {
        this.type = type;
    }

    /** @return the order of the records of one event time (a static comparator: functions are serialized) */
    abstract Comparator<T> order();

    /** Opens the function's own state. */
    abstract void openState();

    /** @return the event time of {@code record}, ms */
    abstract long timeOf(T record);

    /** Applies {@code records} (in the fixed order, all of event time {@code t}; a mutable list). */
    abstract void apply(List<T> records, long t, Context ctx, Collector<O> out) throws Exception;

    /**
     * Handles {@code record} on arrival instead of waiting (an erasure).
     *
     * @return whether it did
     */
    boolean onArrival(T record, Context ctx, Collector<O> out) throws Exception {
        return false;
    }

    /** Runs when the watermark passes {@code t}, before the records of {@code t} are applied. */
    void beforeApplying(long t, Context ctx, Collector<O> out) throws Exception {}

    /** @return the descriptor of the keyed state the records wait in */
    final MapStateDescriptor<Long, List<T>> waitingDescriptor() {
        return TimeBuffer.descriptor(RecsState.WAITING, type);
    }

    @Override
    public final void open(OpenContext context) throws Exception {
        waiting = new TimeBuffer<>(getRuntimeContext().getMapState(waitingDescriptor()));
        openState();
    }

    /**
     * Lets records wait on the heap ({@link EventTimeOrderedOperator}).
     *
     * @param maxRecords most records held on the heap; beyond, they wait in the keyed state
     * @param restored the (key, time) pairs with records waiting in the restored keyed state
     */
    final void holdOnHeap(int maxRecords, Set<HeapTimeBuffer.Due<K>> restored) {
        held = new HeapTimeBuffer<>();
        maxHeld = maxRecords;
        stored = new HashSet<>(restored);
        appliedFromHeap = new HashSet<>();
    }

    /** @return the records held on the heap, or null without {@link #holdOnHeap} */
    final HeapTimeBuffer<K, T> held() {
        return held;
    }

    @Override
    public final void processElement(T record, Context ctx, Collector<O> out) throws Exception {
        if (onArrival(record, ctx, out)) {
            return;
        }
        long t = timeOf(record);
        if (t <= ctx.timerService().currentWatermark()) {
            apply(new ArrayList<>(List.of(record)), t, ctx, out); // late: at once, on its own
        } else if (held != null && (held.holds(ctx.getCurrentKey(), t) || mayHold(ctx.getCurrentKey(), t))) {
            held.add(ctx.getCurrentKey(), t, record); // one key's records of one time wait together
        } else {
            store(ctx.getCurrentKey(), record, t, ctx.timerService());
        }
    }

    /** @return whether a new (key, time) may wait on the heap: room there, and none of its records in the state */
    private boolean mayHold(K key, long t) {
        return held.size() < maxHeld && (stored.isEmpty() || !stored.contains(new HeapTimeBuffer.Due<>(t, key)));
    }

    /** Keeps {@code record} of the current key, event time {@code t}, in the keyed state with a timer at {@code t}. */
    final void store(K key, T record, long t, TimerService timers) throws Exception {
        waiting.hold(record, t, timers);
        if (held != null) {
            stored.add(new HeapTimeBuffer.Due<>(t, key));
        }
    }

    /**
     * Applies the current key's heap-held {@code records} of event time {@code t}, exactly as its
     * timer at {@code t} would have; that timer, if any, then finds nothing left to do.
     */
    final void applyHeld(K key, long t, List<T> records, Context ctx, Collector<O> out) throws Exception {
        appliedFromHeap.add(new HeapTimeBuffer.Due<>(t, key));
        beforeApplying(t, ctx, out);
        records.sort(order());
        apply(records, t, ctx, out);
    }

    /** The watermark step to {@code watermark} is over: the timers it passes have fired. */
    final void endOfWatermarkStep(long watermark) {
        appliedFromHeap.clear();
        if (!stored.isEmpty()) {
            stored.removeIf(d -> d.time() <= watermark);
        }
    }

    /** @return the current key's records still waiting, on the heap and in the state, in no particular order */
    final List<T> waitingRecords(Context ctx) throws Exception {
        List<T> all = waiting.peekAll();
        if (held != null) {
            all.addAll(held.peek(ctx.getCurrentKey()));
        }
        return all;
    }

    /** Drops the current key's records waiting for times up to {@code time}, and their timers (an erasure). */
    final void dropWaitingUpTo(long time, Context ctx) throws Exception {
        waiting.dropUpTo(time, ctx.timerService());
        if (held != null) {
            held.dropUpTo(ctx.getCurrentKey(), time);
        }
    }

    @Override
    public final void onTimer(long t, OnTimerContext ctx, Collector<O> out) throws Exception {
        if (appliedFromHeap != null && appliedFromHeap.contains(new HeapTimeBuffer.Due<>(t, ctx.getCurrentKey()))) {
            return;
        }
        beforeApplying(t, ctx, out);
        List<T> records = waiting.take(t);
        records.sort(order());
        apply(records, t, ctx, out);
    }
}
