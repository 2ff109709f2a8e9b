package org.attentionanalytics.job;

import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.common.AvroCoders;
import org.attentionanalytics.pipeline.CountedName;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.pipeline.SideOutputs;

/**
 * Right after the sources: passes events on, sends dead letters to the {@link SideOutputs#DEAD_LETTERS}
 * side output, drops bot records. Counts each as a metric and accumulator ({@link
 * PipelineCounters}: {@code eventsIn} for clicks and dwell, {@code budgetsIn} and {@code
 * erasureRequestsIn} for control records, {@code bots}, {@code deadLetters.<reason>}). One
 * instance after the event sources, one after the control sources.
 */
public final class DoorRouter extends ProcessFunction<SourceRecord, AttentionEvent> {
    private static final long serialVersionUID = 1L;

    private transient CountedName eventsIn;
    private transient CountedName budgetsIn;
    private transient CountedName focusBlocksIn;
    private transient CountedName erasureRequestsIn;
    private transient CountedName bots;
    private transient Map<DeadLetterReason, CountedName> deadLetters;

    @Override
    public void open(OpenContext openContext) {
        AvroCoders.useGeneratedCoders();
        eventsIn = CountedName.register(getRuntimeContext(), PipelineCounters.EVENTS_IN);
        budgetsIn = CountedName.register(getRuntimeContext(), PipelineCounters.BUDGETS_IN);
        focusBlocksIn = CountedName.register(getRuntimeContext(), PipelineCounters.FOCUS_BLOCKS_IN);
        erasureRequestsIn = CountedName.register(getRuntimeContext(), PipelineCounters.ERASURE_REQUESTS_IN);
        bots = CountedName.register(getRuntimeContext(), PipelineCounters.BOTS);
        deadLetters = CountedName.registerDeadLetters(getRuntimeContext());
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<AttentionEvent> out) {
        if (r.getEvent() != null) {
            switch (r.getEvent().getKind()) {
                case BUDGET -> budgetsIn.inc();
                case FOCUS_BLOCKS -> focusBlocksIn.inc();
                case ERASURE -> erasureRequestsIn.inc();
                default -> eventsIn.inc();
            }
            out.collect(r.getEvent());
        } else if (r.getDeadLetter() != null) {
            deadLetters.get(r.getDeadLetter().getReason()).inc();
            ctx.output(SideOutputs.DEAD_LETTERS, r);
        } else {
            bots.inc();
        }
    }
}
