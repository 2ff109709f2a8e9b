package org.attentionanalytics.interest;

import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;

/**
 * Runs {@link CatalogJoinFunction} with event time taken from the events alone. The catalog is not
 * event-timed: its input is idle for good, its watermarks and status changes are ignored. Left to
 * Flink's two-input rules, a catalog watermark at the maximum would become the output watermark as
 * soon as the event input went idle (a quiet moment), closing every session downstream at once; a
 * catalog without watermarks would hold event time back forever.
 */
public final class CatalogJoinOperator
        extends KeyedCoProcessOperator<String, AttentionEvent, CatalogUpdate, AttentionEvent> {
    private static final long serialVersionUID = 1L;
    private static final int CATALOG_INPUT = 1; // 0-based index of the second input

    /** @param function the join */
    public CatalogJoinOperator(CatalogJoinFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        super.processWatermarkStatus(WatermarkStatus.IDLE, CATALOG_INPUT);
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // the catalog has no event time
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int inputId) throws Exception {
        if (inputId != CATALOG_INPUT) {
            super.processWatermarkStatus(status, inputId);
        }
    }
}
