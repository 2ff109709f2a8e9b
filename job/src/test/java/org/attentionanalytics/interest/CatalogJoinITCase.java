package org.attentionanalytics.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.view;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.pipeline.SideOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catalog graph on a MiniCluster: an unbounded catalog that never ends must not hold back the
 * event time of the events after the join, and every event comes out exactly once.
 */
class CatalogJoinITCase {

    /** Emits the event ids and, once the watermark passes an event's time, {@code fired:<id>}. */
    static final class TimerProbe extends KeyedProcessFunction<String, AttentionEvent, String> {
        @Override
        public void processElement(AttentionEvent e, Context ctx, Collector<String> out) {
            out.collect(e.getEventId() + " " + e.getTopics());
            ctx.timerService().registerEventTimeTimer(e.getEventTime());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            out.collect("fired:" + timestamp);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUnboundedCatalogDoesNotHoldEventTimeBack() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false); // no Kryo anywhere on this path
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        List<AttentionEvent> input = List.of(
                view("u1", "a1", at(0, 0), "news.politics.eu"), // inline: bypasses the join
                view("u1", "a2", at(1, 0)), // to the join
                view("u2", null, at(2, 0))); // no item: bypasses the join
        DataStream<AttentionEvent> events = env.fromData(
                        new AvroTypeInfo<>(AttentionEvent.class), input.toArray(new AttentionEvent[0]))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<AttentionEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, ts) -> e.getEventTime()));
        // Unbounded and silent after its first record per subtask: no checkpoints, so the per-checkpoint limiter never
        // reopens.
        DataGeneratorSource<CatalogUpdate> catalogSource = new DataGeneratorSource<>(
                i -> CatalogUpdate.newBuilder()
                        .setItemId("zz" + i)
                        .setTopics(List.of("sports"))
                        .setWeights(List.of(1.0))
                        .build(),
                Long.MAX_VALUE,
                RateLimiterStrategy.perCheckpoint(2),
                new AvroTypeInfo<>(CatalogUpdate.class));
        DataStream<CatalogUpdate> catalog =
                env.fromSource(catalogSource, WatermarkStrategy.noWatermarks(), "test-catalog");

        SingleOutputStreamOperator<AttentionEvent> routed = CatalogJoin.route(events, 2);
        DataStream<String> probed = routed.union(
                        CatalogJoin.join(routed.getSideOutput(SideOutputs.NEEDS_CATALOG), catalog, 2))
                .keyBy(AttentionEvent::getUser)
                .process(new TimerProbe())
                .returns(Types.STRING);

        List<String> seen = new ArrayList<>();
        try (CloseableIterator<String> it = probed.executeAndCollect("catalog-join-itcase")) {
            while (seen.stream().filter(s -> s.startsWith("fired:")).count() < 3) {
                seen.add(it.next()); // blocks; the @Timeout fails the test if event time is held back
            }
        }
        assertThat(seen)
                .filteredOn(s -> s.startsWith("fired:"))
                .containsExactlyInAnyOrder("fired:" + at(0, 0), "fired:" + at(1, 0), "fired:" + at(2, 0));
        assertThat(seen)
                .filteredOn(s -> !s.startsWith("fired:"))
                .containsExactlyInAnyOrder(
                        input.get(0).getEventId() + " [news.politics]",
                        input.get(1).getEventId() + " []", // no profile for a2
                        input.get(2).getEventId() + " []");
    }
}
