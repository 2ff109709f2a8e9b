package org.attentionanalytics.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.AvroRecordSerializer;
import org.attentionanalytics.io.DoorDecoder;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.InputFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmark of the door: one Avro single-object encoded {@code ClickEvent} (a VIEW with
 * url, user agent, two topics and a zone, as the benchmark's generator writes them) and one {@code
 * DwellEvent} through {@link DoorDecoder#decode}: decoding, the checks, the bot verdict (cached)
 * and the pseudonym. Run: {@code mvn -o -Pjmh -pl bench -am test -DskipTests -Djmh.args=DoorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DoorBenchmark {
    private static final byte[] KEY = "user-000042".getBytes(StandardCharsets.UTF_8);
    private DoorDecoder clicks;
    private DoorDecoder dwell;
    private byte[] click;
    private byte[] dwellEvent;
    private long now;

    @Setup
    public void setUp() throws Exception {
        Path key = Files.createTempFile("door-bench", ".key");
        Files.writeString(key, "bench-key");
        clicks = Doors.event(EventKind.CLICK, new DoorSettings(InputFormat.AVRO, 600_000, key.toString(), null, true));
        dwell = Doors.event(EventKind.DWELL, new DoorSettings(InputFormat.AVRO, 600_000, key.toString(), null, true));
        clicks.open();
        dwell.open();
        now = System.currentTimeMillis();
        Instant t = Instant.ofEpochMilli(now - 60_000);
        click = AvroRecordSerializer.encode(ClickEvent.newBuilder()
                .setEventId("gen-42-17")
                .setUserId("user-000042")
                .setEventTime(t)
                .setEventType(EventType.VIEW)
                .setItemId("item-12345")
                .setTopics(List.of("news.politics", "sports"))
                .setUrl("https://news.example/articles/12345")
                .setUserAgent(
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")
                .setTimeZone("Europe/Copenhagen")
                .build());
        dwellEvent = AvroRecordSerializer.encode(DwellEvent.newBuilder()
                .setEventId("gen-42-18")
                .setUserId("user-000042")
                .setEventTime(t)
                .setItemId("item-12345")
                .setDwellMs(12_000L)
                .build());
    }

    @Benchmark
    public SourceRecord click() {
        return clicks.decode("clickstream", 0, 1, KEY, click, now);
    }

    @Benchmark
    public SourceRecord dwell() {
        return dwell.decode("dwell-time", 0, 1, KEY, dwellEvent, now);
    }
}
