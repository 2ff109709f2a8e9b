package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A keyed function of the recommendations that applies its records one event time at a time, in
 * event-time order and, within one time, in a fixed {@code order}, once the watermark passes them
 * ({@link TimeBuffer}): what it computes then does not depend on arrival order (DESIGN.md section
 * 12). A record the watermark has already passed (late) is applied at once, on its own.
 *
 * @param <K> the key
 * @param <T> the Avro record type of the input
 * @param <O> the output
 */
abstract class EventTimeOrderedFunction<K, T extends SpecificRecordBase, O> extends KeyedProcessFunction<K, T, O> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    /** The records waiting for the watermark. */
    protected transient TimeBuffer<T> waiting;

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
    void beforeApplying(long t, OnTimerContext ctx, Collector<O> out) throws Exception {}

    @Override
    public final void open(OpenContext context) throws Exception {
        waiting = new TimeBuffer<>(getRuntimeContext().getMapState(TimeBuffer.descriptor(RecsState.WAITING, type)));
        openState();
    }

    @Override
    public final void processElement(T record, Context ctx, Collector<O> out) throws Exception {
        if (!onArrival(record, ctx, out) && !waiting.offer(record, timeOf(record), ctx.timerService())) {
            apply(new ArrayList<>(List.of(record)), timeOf(record), ctx, out);
        }
    }

    @Override
    public final void onTimer(long t, OnTimerContext ctx, Collector<O> out) throws Exception {
        beforeApplying(t, ctx, out);
        List<T> records = waiting.take(t);
        records.sort(order());
        apply(records, t, ctx, out);
    }
}
