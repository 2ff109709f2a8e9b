package org.attentionanalytics.pipeline;

import java.util.function.Supplier;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The context an operator gives its keyed function when it applies records held on the heap at a
 * watermark, where a timer would have fired: side outputs carry {@link #timestamp} (the time the
 * timer would have had, ms), and the timer service and current key are the operator's.
 *
 * @param <K> the key
 * @param <I> the function's input
 * @param <O> the function's output
 */
public final class AppliedContext<K, I, O> extends KeyedProcessFunction<K, I, O>.Context {
    /** The timestamp of what the function outputs now, ms. */
    public long timestamp;

    private final TimerService timers;
    private final Output<StreamRecord<O>> output;
    private final Supplier<K> currentKey;

    /**
     * @param function the function it is the context of
     * @param timers the operator's timer service
     * @param output the operator's output
     * @param currentKey the operator's current key
     */
    public AppliedContext(
            KeyedProcessFunction<K, I, O> function,
            TimerService timers,
            Output<StreamRecord<O>> output,
            Supplier<K> currentKey) {
        function.super();
        this.timers = timers;
        this.output = output;
        this.currentKey = currentKey;
    }

    @Override
    public Long timestamp() {
        return timestamp;
    }

    @Override
    public TimerService timerService() {
        return timers;
    }

    @Override
    public <X> void output(OutputTag<X> outputTag, X value) {
        output.collect(outputTag, new StreamRecord<>(value, timestamp));
    }

    @Override
    public K getCurrentKey() {
        return currentKey.get();
    }
}
