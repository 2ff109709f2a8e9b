package org.attentionanalytics.pipeline;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Forwards the records of a stream without event time (the content catalog) so that it can join a
 * union with an event-timed one: it declares itself idle for good when it opens and drops every
 * watermark and status change. Without it, a catalog without watermarks would hold the union's
 * event time back forever, and one at the maximum (a bounded source that ended) would move it to the
 * end as soon as the event-timed channels went idle. {@link
 * org.attentionanalytics.interest.CatalogJoinOperator} does the same for a two-input operator.
 */
public final class IdleForEventTime<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void open() throws Exception {
        super.open();
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        // no event time here
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // idle for good
    }
}
