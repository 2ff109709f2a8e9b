package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.ItemMessage;
import org.attentionanalytics.avro.internal.ItemMessageKind;
import org.attentionanalytics.testutil.TestRocksDb;
import org.junit.jupiter.api.Test;

/**
 * The heap-held records of {@link EventTimeOrderedOperator} are applied exactly as a timer per
 * time would apply them ({@link KeyedProcessOperator}, the reference): one event time at a time,
 * after the timers of earlier times (the function's own too), the records of one time together in
 * the function's order, with the time as output timestamp; through a checkpoint, a restore and a
 * full heap too.
 */
class EventTimeOrderedOperatorTest {
    /**
     * Writes "before t", then "t:records" for each time applied (records by item); applying time 3
     * registers its own timer at 4 (as the popularity's snapshot timers do).
     */
    static final class Recorder extends EventTimeOrderedFunction<String, ItemMessage, String> {
        private static final long serialVersionUID = 1L;

        Recorder() {
            super(ItemMessage.class);
        }

        @Override
        Comparator<ItemMessage> order() {
            return Comparator.comparing(m -> m.getItem().toString());
        }

        @Override
        void openState() {}

        @Override
        long timeOf(ItemMessage record) {
            return record.getTime();
        }

        @Override
        void beforeApplying(long t, Context ctx, Collector<String> out) {
            out.collect(ctx.getCurrentKey() + " before " + t);
        }

        @Override
        void apply(List<ItemMessage> records, long t, Context ctx, Collector<String> out) {
            List<String> items = new ArrayList<>();
            records.forEach(r -> items.add(r.getItem().toString()));
            out.collect(ctx.getCurrentKey() + " " + t + ":" + String.join(",", items));
            if (t == 3) {
                ctx.timerService().registerEventTimeTimer(4);
            }
        }
    }

    private static ItemMessage record(String key, String item, long t) {
        return ItemMessage.newBuilder()
                .setItem(item)
                .setKind(ItemMessageKind.COUNT)
                .setTime(t)
                .setUser(key)
                .build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemMessage, String> harness(
            KeyedProcessOperator<String, ItemMessage, String> operator) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                operator, m -> m.getUser().toString(), Types.STRING);
        h.setStateBackend(TestRocksDb.harnessBackend());
        return h;
    }

    private static List<String> outputs(KeyedOneInputStreamOperatorTestHarness<String, ItemMessage, String> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(r.getValue() + " @" + r.getTimestamp());
            }
        }
        return out;
    }

    /** Times 5, 3, 5 of key k and 3 of key j, then a watermark at 10. */
    private static List<String> run(KeyedProcessOperator<String, ItemMessage, String> operator) throws Exception {
        try (var h = harness(operator)) {
            h.open();
            h.processElement(record("k", "a", 5), 5);
            h.processElement(record("k", "b", 3), 3);
            h.processElement(record("k", "c", 5), 5);
            h.processWatermark(new Watermark(1));
            h.processElement(record("k", "late", 1), 1); // behind the watermark: at once, on its own
            h.processWatermark(new Watermark(10));
            return outputs(h);
        }
    }

    @Test
    void appliesTimeByTimeWithOwnTimersInBetweenAsTimersWould() throws Exception {
        List<String> expected = List.of(
                "k 1:late @1",
                "k before 3 @3",
                "k 3:b @3",
                "k before 4 @4", // k's own timer, registered at 3, fires before the records of 5
                "k 4: @4",
                "k before 5 @5",
                "k 5:a,c @5"); // one apply for a and c, in the function's order
        assertThat(run(new KeyedProcessOperator<>(new Recorder()))).containsExactlyElementsOf(expected);
        assertThat(run(new EventTimeOrderedOperator<>(new Recorder()))).containsExactlyElementsOf(expected);
        assertThat(run(new EventTimeOrderedOperator<>(new Recorder(), 1))) // one on the heap, the rest in state
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aCheckpointStoresTheHeldRecordsAndARestoreAppliesThemWithTheirTimeMates() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(new EventTimeOrderedOperator<>(new Recorder()))) {
            h.open();
            h.processElement(record("k", "x", 20), 20);
            h.processElement(record("j", "y", 30), 30);
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            h.processElement(record("k", "w", 20), 20); // its time-mate x is in the state now: w waits there too
            h.processWatermark(new Watermark(25));
            assertThat(outputs(h)).containsExactly("k before 20 @20", "k 20:w,x @20");
        }
        try (var h = harness(new EventTimeOrderedOperator<>(new Recorder()))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(record("k", "v", 20), 20); // x waits in the restored state: v too
            h.processElement(record("j", "z", 40), 40);
            h.processWatermark(new Watermark(50));
            assertThat(outputs(h))
                    .containsExactly(
                            "k before 20 @20",
                            "k 20:v,x @20",
                            "j before 30 @30",
                            "j 30:y @30",
                            "j before 40 @40",
                            "j 40:z @40");
        }
    }
}
