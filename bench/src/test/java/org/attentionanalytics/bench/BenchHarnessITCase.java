package org.attentionanalytics.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attentionanalytics.job.CliSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of {@code bin/attention bench}: the harness on a tiny input (500 users, 5,000
 * planned events, 1 s checkpoints, no latency part) runs every variant to the end of the same
 * input and writes the JSON and the chart. Numbers are not asserted, only that every variant read
 * every record and that the reported fields are there.
 */
@Tag("slow") // mvn verify -Pslow
class BenchHarnessITCase {
    @TempDir
    Path dir;

    @Test
    void everyVariantReadsTheWholeInputAndTheReportIsWritten() throws Exception {
        Path json = dir.resolve("bench.json");
        int code = CliSupport.execute(
                new BenchCommand(),
                "--users",
                "500",
                "--events",
                "5000",
                "--warmup-events",
                "2000",
                "--latency-seconds",
                "0",
                "--checkpoint-interval",
                "1 s",
                "--output",
                json.toString());
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode point = root.path("throughput").get(0);
        assertThat(point.path("users").asInt()).isEqualTo(500);
        long events = point.path("events").asLong();
        assertThat(events).isGreaterThan(4_000);
        for (String v : new String[] {"full", "stateful_ceiling", "sql", "stateless_ceiling", "full_heap"}) {
            JsonNode r = point.path("variants").path(v);
            assertThat(r.path("records").asLong()).as(v).isEqualTo(events);
            assertThat(r.path("events_per_s").asDouble()).as(v).isPositive();
            assertThat(r.path("last_checkpoint_bytes").asLong()).as(v).isPositive();
        }
        assertThat(point.path("variants").path("full").path("state_backend").asText())
                .contains("RocksDB");
        assertThat(point.path("variants")
                        .path("full_heap")
                        .path("state_backend")
                        .asText())
                .contains("HashMap");
        assertThat(point.path("ratio_vs_sql").isNumber()).isTrue();
        assertThat(point.path("ratio_vs_stateful_ceiling").isNumber()).isTrue();
        assertThat(point.path("variants")
                        .path("full")
                        .path("state_bytes_per_user")
                        .asDouble())
                .isPositive();
        assertThat(Files.size(dir.resolve("bench.png"))).isPositive();
    }

    /**
     * The latency part through the embedded broker at a rate any machine carries (200 events/s for
     * 2 s): the vectors of the window are emitted and become visible to a read_committed consumer.
     * Their latency is at least the 30 s out-of-orderness bound by design, so only its floor is
     * asserted. About a minute.
     */
    @Test
    void theLatencyPartMeasuresEmissionAndVisibility() throws Exception {
        Path json = dir.resolve("latency.json");
        int code = CliSupport.execute(
                new BenchCommand(),
                "--users",
                "200",
                "--events",
                "2000",
                "--warmup-events",
                "1000",
                "--variants",
                "stateless_ceiling",
                "--rate",
                "200",
                "--latency-seconds",
                "2",
                "--checkpoint-interval",
                "1 s",
                "--output",
                json.toString());
        assertThat(code).isZero();
        JsonNode latency = new ObjectMapper().readTree(json.toFile()).path("latency");
        assertThat(latency.path("emission_ms").path("count").asLong()).isPositive();
        assertThat(latency.path("emission_ms").path("p50").asLong()).isGreaterThanOrEqualTo(25_000);
        assertThat(latency.path("visibility_read_committed_ms").path("count").asLong())
                .isPositive();
    }
}
