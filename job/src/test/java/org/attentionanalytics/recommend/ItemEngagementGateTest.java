package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.attentionanalytics.avro.internal.ItemMeanEngaged;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.junit.jupiter.api.Test;

/**
 * The item gate's mean engaged times ({@link ItemGateFunction#ENGAGEMENT}, DESIGN.md section 12): a
 * half-life of 100,000 days, so decay over a minute is below 1e-8 of a value.
 */
class ItemEngagementGateTest {
    static final long T = 1_700_000_010_000L; // 30 s into a minute
    static final RecsSettings SETTINGS = new RecsSettings(3, 0, 0, 100_000L * 86_400_000L, 10, 100, 100, 5, 0, true);

    static ItemSignal engaged(String user, long t, long ms) {
        return ItemSignal.newBuilder()
                .setUser(user)
                .setKind(ItemSignalKind.ENGAGED)
                .setTime(t)
                .setItemId("x")
                .setEngagedMs(ms)
                .build();
    }

    /**
     * Ended views of x: 60 s and 120 s at T, 30 s at T + 5 s (the same minute: no second report),
     * 90 s at T + 30 s (the next minute). Reports: 90 s after T's, (60 + 120 + 30 + 90) / 4 = 75 s
     * after T + 30 s's. A view goes on to the history; the ENGAGED signals stay here.
     */
    @Test
    void reportsTheMeanOncePerMinute() throws Exception {
        try (var h = RecsHarnesses.gate(SETTINGS)) {
            h.processElement(
                    ItemSignal.newBuilder()
                            .setUser("v")
                            .setKind(ItemSignalKind.VIEW)
                            .setTime(T)
                            .setItemId("x")
                            .build(),
                    T);
            h.processElement(engaged("u1", T, 60_000), T);
            h.processElement(engaged("u2", T, 120_000), T);
            h.processElement(engaged("u3", T + 5_000, 30_000), T + 5_000);
            h.processElement(engaged("u4", T + 30_000, 90_000), T + 30_000);
            h.processWatermark(T + 30_000);
            List<ItemMeanEngaged> reports = h.getSideOutput(ItemGateFunction.ENGAGEMENT).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(reports).extracting(ItemMeanEngaged::getItemId).containsExactly("x", "x");
            assertThat(reports.get(0).getMeanEngagedMs()).isCloseTo(90_000, within(1e-3));
            assertThat(reports.get(1).getMeanEngagedMs()).isCloseTo(75_000, within(1e-3));
            assertThat(h.extractOutputValues()).extracting(ItemSignal::getKind).containsExactly(ItemSignalKind.VIEW);
        }
    }
}
