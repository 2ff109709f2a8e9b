package org.attentionanalytics.recommend;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.attentionanalytics.pipeline.AppliedContext;

/**
 * Runs an {@link EventTimeOrderedFunction} with its waiting records on the heap ({@link
 * HeapTimeBuffer}) instead of a keyed-state write, a timer, a read and a delete per record. When a
 * watermark arrives, the held (key, time) pairs it passes are applied earliest first, and before
 * each the timers of earlier times fire (the function's own, and those of records in the state):
 * the same order, the same values and output timestamps as with a timer per time. Before every
 * checkpoint barrier and at the end of input the records still held go to the keyed state with
 * their timers, so a checkpoint holds every record received and restores at any parallelism.
 *
 * <p>Memory: at most {@code maxHeld} records per subtask; beyond, a record waits in the state.
 *
 * @param <K> the key
 * @param <T> the Avro record type of the input
 * @param <O> the output
 */
public final class EventTimeOrderedOperator<K, T extends SpecificRecordBase, O> extends KeyedProcessOperator<K, T, O> {
    private static final long serialVersionUID = 1L;

    /** Default {@code maxHeld}: a few MB of small Avro records per subtask. */
    public static final int DEFAULT_MAX_HELD = 20_000;

    /** The timer service's name in {@link KeyedProcessOperator}; a second call with it returns the same service. */
    private static final String TIMER_SERVICE = "user-timers";

    private final int maxHeld;
    private transient EventTimeOrderedFunction<K, T, O> function;
    private transient Set<HeapTimeBuffer.Due<K>> restored;
    private transient TimestampedCollector<O> collector;
    private transient AppliedContext<K, T, O> context;
    private transient TimerService timers;

    /** @param function the function; at most {@link #DEFAULT_MAX_HELD} records held */
    public EventTimeOrderedOperator(EventTimeOrderedFunction<K, T, O> function) {
        this(function, DEFAULT_MAX_HELD);
    }

    /** @param maxHeld most records held on the heap per subtask (0: every record waits in the state) */
    EventTimeOrderedOperator(EventTimeOrderedFunction<K, T, O> function, int maxHeld) {
        super(function);
        this.maxHeld = maxHeld;
    }

    /** After a restore, finds the (key, time) pairs with records waiting in the state (a scan of the waiting records only). */
    @Override
    @SuppressWarnings("unchecked")
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = new HashSet<>();
        if (context.isRestored()) {
            EventTimeOrderedFunction<K, T, O> f = (EventTimeOrderedFunction<K, T, O>) getUserFunction();
            getKeyedStateBackend()
                    .applyToAllKeys(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            f.waitingDescriptor(),
                            (key, state) -> {
                                for (long t : ((MapState<Long, List<T>>) state).keys()) {
                                    restored.add(new HeapTimeBuffer.Due<>(t, (K) key));
                                }
                            });
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open() throws Exception {
        super.open();
        function = (EventTimeOrderedFunction<K, T, O>) getUserFunction();
        function.holdOnHeap(maxHeld, restored);
        restored = null;
        timers = new SimpleTimerService(getInternalTimerService(TIMER_SERVICE, VoidNamespaceSerializer.INSTANCE, this));
        collector = new TimestampedCollector<>(output);
        context = new AppliedContext<>(function, timers, output, this::currentKey);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        HeapTimeBuffer<K, T> held = function.held();
        long stepped = Long.MIN_VALUE;
        for (HeapTimeBuffer.Due<K> d = held.nextDue(mark.getTimestamp());
                d != null;
                d = held.nextDue(mark.getTimestamp())) {
            if (d.time() - 1 > stepped) { // the timers before this time first, as Flink would fire them
                stepped = d.time() - 1;
                timeServiceManager.advanceWatermark(new Watermark(stepped));
            }
            setCurrentKey(d.key());
            collector.setAbsoluteTimestamp(d.time());
            context.timestamp = d.time();
            function.applyHeld(d.key(), d.time(), held.take(d.key(), d.time()), context, collector);
        }
        super.processWatermark(mark);
        function.endOfWatermarkStep(mark.getTimestamp());
    }

    /** The held records go to the keyed state with their timers, so that the checkpoint holds them. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        storeHeld();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        storeHeld(); // records the final watermark did not reach (none after a MAX watermark)
        super.finish();
    }

    private void storeHeld() throws Exception {
        HeapTimeBuffer<K, T> held = function.held();
        for (K key : held.keys()) {
            setCurrentKey(key);
            for (long t : held.times(key)) {
                for (T record : held.take(key, t)) {
                    function.store(key, record, t, timers);
                }
            }
        }
        held.clear();
    }

    @SuppressWarnings("unchecked")
    private K currentKey() {
        return (K) getCurrentKey();
    }
}
