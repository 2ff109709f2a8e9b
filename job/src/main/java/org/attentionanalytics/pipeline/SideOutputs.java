package org.attentionanalytics.pipeline;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.avro.internal.TrendContribution;

/**
 * Every side output of the graph, by the records it carries (Avro-serialized, no Kryo). The
 * tag ids are operator-internal: renaming one does not affect savepoints.
 */
public final class SideOutputs {
    /** Dead letters of the doors and of the per-user operator (DESIGN.md section 3). */
    public static final OutputTag<SourceRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(SourceRecord.class));

    /** Events whose item has no topics yet: they go through the catalog join. */
    public static final OutputTag<AttentionEvent> NEEDS_CATALOG =
            new OutputTag<>("needs-catalog", new AvroTypeInfo<>(AttentionEvent.class));

    /**
     * Interest vectors (DESIGN.md section 6) and the tombstones of erased users ({@code vector}
     * null): one output for both, so that in the compacted topic a tombstone always comes after the
     * vectors written before the erasure.
     */
    public static final OutputTag<InterestVectorUpdate> INTEREST_VECTORS =
            new OutputTag<>("interest-vectors", new AvroTypeInfo<>(InterestVectorUpdate.class));

    /**
     * Live interest vectors (DESIGN.md section 6) and, as on {@link #INTEREST_VECTORS}, the
     * tombstones of erased users, for {@code interest-vectors-live}.
     */
    public static final OutputTag<InterestVectorUpdate> LIVE_INTEREST_VECTORS =
            new OutputTag<>("interest-vectors-live", new AvroTypeInfo<>(InterestVectorUpdate.class));

    /** Page-view records (DESIGN.md section 5), for {@code attention-page-views}. */
    public static final OutputTag<PageView> PAGE_VIEWS =
            new OutputTag<>("attention-page-views", new AvroTypeInfo<>(PageView.class));

    /** One {@link ErasureConfirmation} per erasure request, for {@code privacy-audit}. */
    public static final OutputTag<ErasureConfirmation> ERASURES =
            new OutputTag<>("privacy-audit", new AvroTypeInfo<>(ErasureConfirmation.class));

    /** Alerts (DESIGN.md section 7). */
    public static final OutputTag<AttentionAlert> ALERTS =
            new OutputTag<>("attention-alerts", new AvroTypeInfo<>(AttentionAlert.class));

    /** Daily reports (DESIGN.md section 8). */
    public static final OutputTag<DailyAttentionReport> REPORTS =
            new OutputTag<>("attention-reports", new AvroTypeInfo<>(DailyAttentionReport.class));

    /** The reports of focus-block occurrences (DESIGN.md section 13). */
    public static final OutputTag<FocusBlockReport> FOCUS_BLOCK_REPORTS =
            new OutputTag<>("focus-block-reports", new AvroTypeInfo<>(FocusBlockReport.class));

    /** Each user's bounded per-hour category contributions to the topic trends (DESIGN.md section 9). */
    public static final OutputTag<TrendContribution> TREND_CONTRIBUTIONS =
            new OutputTag<>("trend-contributions", new AvroTypeInfo<>(TrendContribution.class));

    /** What the per-user operator tells the recommendations (DESIGN.md section 12). */
    public static final OutputTag<ItemSignal> ITEM_SIGNALS =
            new OutputTag<>("item-signals", new AvroTypeInfo<>(ItemSignal.class));

    private SideOutputs() {}
}
