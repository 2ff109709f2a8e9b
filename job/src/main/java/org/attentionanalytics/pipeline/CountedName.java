package org.attentionanalytics.pipeline;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * A Flink metric counter and an accumulator of the same name, changed together: the metric for the
 * web UI and reporters, the accumulator for the local runner's summaries (see {@link
 * PipelineCounters}).
 */
public final class CountedName {
    private final Counter metric;
    private final LongCounter accumulator = new LongCounter();

    private CountedName(RuntimeContext context, String name) {
        // A dot in a metric name becomes "_" in the REST API, the web UI and the reporters: a dotted
        // name is a group and a counter, so "deadLetters.UNDECODABLE" reads the same everywhere.
        int dot = name.lastIndexOf('.');
        metric = dot < 0
                ? context.getMetricGroup().counter(name)
                : context.getMetricGroup().addGroup(name.substring(0, dot)).counter(name.substring(dot + 1));
        context.addAccumulator(name, accumulator);
    }

    /** Registers the metric and the accumulator {@code name} on the operator of {@code context}. */
    public static CountedName register(RuntimeContext context, String name) {
        return new CountedName(context, name);
    }

    /** Registers {@code deadLetters.<REASON>} for every reason on the operator of {@code context}. */
    public static java.util.Map<org.attentionanalytics.avro.DeadLetterReason, CountedName> registerDeadLetters(
            RuntimeContext context) {
        var counters = new java.util.EnumMap<org.attentionanalytics.avro.DeadLetterReason, CountedName>(
                org.attentionanalytics.avro.DeadLetterReason.class);
        for (var r : org.attentionanalytics.avro.DeadLetterReason.values()) {
            counters.put(r, register(context, PipelineCounters.deadLetters(r)));
        }
        return counters;
    }

    /** Adds 1. */
    public void inc() {
        add(1);
    }

    /** Adds {@code n}, which may be negative. */
    public void add(long n) {
        metric.inc(n);
        accumulator.add(n);
    }
}
