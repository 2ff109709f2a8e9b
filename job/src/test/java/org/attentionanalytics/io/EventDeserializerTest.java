package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-door counters of the Kafka deserializer: each record counts once, as an event, a dead letter or a bot. */
class EventDeserializerTest {
    @TempDir
    Path dir;

    /** A metric group that keeps the counters registered in it. */
    static final class Counters extends UnregisteredMetricsGroup {
        final Map<String, SimpleCounter> byName = new HashMap<>();

        @Override
        public Counter counter(String name) {
            return byName.computeIfAbsent(name, n -> new SimpleCounter());
        }
    }

    static ClickEvent.Builder click(String id) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId("alice")
                .setEventTime(Instant.now().minusSeconds(60))
                .setEventType(EventType.VIEW)
                .setItemId("a");
    }

    @Test
    void eachRecordCountsAsAnEventADeadLetterOrABot() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "k\n");
        EventDeserializer d = new EventDeserializer(
                Doors.event(EventKind.CLICK, new DoorSettings(InputFormat.AVRO, 600_000, key.toString(), null, true)));
        Counters metrics = new Counters();
        d.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return metrics;
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return null;
            }
        });
        List<byte[]> values = List.of(
                click("e1").build().toByteBuffer().array(),
                click("e2").build().toByteBuffer().array(),
                "garbage".getBytes(StandardCharsets.UTF_8),
                click("e3")
                        .setUserAgent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
                        .build()
                        .toByteBuffer()
                        .array());
        List<SourceRecord> out = new ArrayList<>();
        Collector<SourceRecord> collector = new Collector<>() {
            @Override
            public void collect(SourceRecord r) {
                out.add(r);
            }

            @Override
            public void close() {}
        };
        long offset = 0;
        for (byte[] v : values) {
            d.deserialize(
                    new ConsumerRecord<>("clickstream", 0, offset++, "alice".getBytes(StandardCharsets.UTF_8), v),
                    collector);
        }
        assertThat(out).hasSize(4);
        // two valid clicks, one undecodable value, one Googlebot
        assertThat(metrics.byName.get(EventDeserializer.EVENTS).getCount()).isEqualTo(2);
        assertThat(metrics.byName.get(EventDeserializer.DEAD_LETTERS).getCount())
                .isEqualTo(1);
        assertThat(metrics.byName.get(EventDeserializer.BOTS).getCount()).isEqualTo(1);
    }
}
