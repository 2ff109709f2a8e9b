package org.attentionanalytics.job;

import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.pipeline.CountedName;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.pipeline.SideOutputs;

/**
 * Right after the catalog source: passes catalog updates on to the join and sends the dead letters
 * of {@code CatalogDeserializer} to the {@link SideOutputs#DEAD_LETTERS} side output (key: none, the
 * catalog names no user). Counts {@code catalogUpdatesIn} and {@code deadLetters.<reason>}
 * ({@link PipelineCounters}), as the event and control doors do.
 */
public final class CatalogDoor extends ProcessFunction<CatalogUpdate, CatalogUpdate> {
    private static final long serialVersionUID = 1L;

    private transient CountedName updatesIn;
    private transient Map<DeadLetterReason, CountedName> deadLetters;

    @Override
    public void open(OpenContext openContext) {
        updatesIn = CountedName.register(getRuntimeContext(), PipelineCounters.CATALOG_UPDATES_IN);
        deadLetters = CountedName.registerDeadLetters(getRuntimeContext());
    }

    @Override
    public void processElement(CatalogUpdate u, Context ctx, Collector<CatalogUpdate> out) {
        if (u.getDeadLetter() == null) {
            updatesIn.inc();
            out.collect(u);
            return;
        }
        deadLetters.get(u.getDeadLetter().getReason()).inc();
        ctx.output(
                SideOutputs.DEAD_LETTERS,
                SourceRecord.newBuilder().setDeadLetter(u.getDeadLetter()).build());
    }
}
