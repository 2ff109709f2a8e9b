package org.attentionanalytics.bench.jmh;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.io.OutputEncoder;
import org.attentionanalytics.io.OutputFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmark of the sinks' value encoding per {@code --output-format}: one closed {@code
 * SessionSummary} (three top topics) through {@link OutputEncoder#encode}. The registry format uses
 * a fixed schema id, as the sinks do (no registry is asked). Run: {@code mvn -o -Pjmh -pl bench -am
 * test -DskipTests -Djmh.args=OutputEncoderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutputEncoderBenchmark {
    @Param({"avro", "json", "avro-registry"})
    public String format;

    private OutputEncoder encoder;
    private SessionSummary session;

    @Setup
    public void setUp() {
        OutputFormat f = OutputFormat.parse(format);
        encoder = f == OutputFormat.AVRO_REGISTRY ? OutputEncoder.registry(42) : OutputEncoder.of(f);
        Instant start = Instant.parse("2026-12-07T09:00:00Z");
        session = SessionSummary.newBuilder()
                .setSessionId("37900a81a90db1f006522bcf1e774c5c")
                .setUser("e30f435b7f513621b0ebf090a4cd77e5")
                .setStart(start)
                .setEnd(start.plusSeconds(349))
                .setDurationMs(349_000)
                .setEventCount(12)
                .setViews(6)
                .setClicks(2)
                .setEngagedMs(141_000)
                .setDistinctItems(6)
                .setTopTopics(List.of("news.politics", "sports.football", "electronics.headphones"))
                .setTopicSwitches(3)
                .setBounce(false)
                .setEngaged(true)
                .setEngagedInferred(false)
                .setStatus(SessionStatus.CLOSED)
                .build();
    }

    @Benchmark
    public byte[] encode() {
        return encoder.encode(session);
    }
}
