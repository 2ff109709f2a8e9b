package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.junit.jupiter.api.Test;

/** The control partitions' generator: idle at once and for good, whatever records arrive. */
class ControlWatermarksTest {
    final List<String> out = new ArrayList<>();
    final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark w) {
            out.add("wm " + w.getTimestamp());
        }

        @Override
        public void markIdle() {
            out.add("idle");
        }

        @Override
        public void markActive() {
            out.add("active");
        }
    };

    static SourceRecord budget(long at) {
        return SourceRecord.newBuilder()
                .setEvent(AttentionEvent.newBuilder()
                        .setKind(EventKind.BUDGET)
                        .setEventId("b")
                        .setUser("u")
                        .setEventTime(at)
                        .build())
                .build();
    }

    @Test
    void idleFromTheFirstPeriodicEmitAndNeverActiveAgain() {
        ControlWatermarks.AlwaysIdle gen = new ControlWatermarks.AlwaysIdle();
        gen.onPeriodicEmit(output);
        // a record after long silence, one far in the past, one ahead: no watermark, no activation
        gen.onEvent(budget(1_000), 1_000, output);
        gen.onPeriodicEmit(output);
        gen.onEvent(budget(Long.MAX_VALUE / 2), Long.MAX_VALUE / 2, output);
        gen.onPeriodicEmit(output);
        assertThat(out).containsExactly("idle");
    }

    @Test
    void timestampsAreTheRecordsEventTime() {
        var assigner = ControlWatermarks.strategy().createTimestampAssigner(() -> null);
        assertThat(assigner.extractTimestamp(budget(1_736_164_740_000L), 99)).isEqualTo(1_736_164_740_000L);
        assertThat(assigner.extractTimestamp(SourceRecord.newBuilder().build(), 99))
                .as("a dead letter: the Kafka timestamp")
                .isEqualTo(99);
    }
}
