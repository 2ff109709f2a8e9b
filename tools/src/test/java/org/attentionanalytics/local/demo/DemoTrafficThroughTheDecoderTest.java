package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.DoorDecoder;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.Doors;
import org.attentionanalytics.io.InputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's own door sees the demo as intended: events, bots, and dead letters of the five planned reasons. */
class DemoTrafficThroughTheDecoderTest {
    @TempDir
    Path dir;

    @Test
    void noiseBecomesBotsAndTheIntendedDeadLetters() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "demo-test-key\n");
        DoorDecoder clicks = decoder(EventKind.CLICK, key);
        DoorDecoder dwell = decoder(EventKind.DWELL, key);
        FakeClock clock = new FakeClock(Instant.parse("2026-03-01T08:00:00Z"));
        DemoTraffic demo = new DemoTraffic(11, DemoTraffic.DEFAULT_USERS, clock);
        Map<DeadLetterReason, Integer> deadLetters = new EnumMap<>(DeadLetterReason.class);
        int events = 0;
        int bots = 0;
        long offset = 0;

        for (int second = 0; second < 25 * 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            for (DemoRecord r : demo.nextBatch()) {
                DoorDecoder decoder = r.topic().equals(DemoRecord.CLICKSTREAM) ? clicks : dwell;
                SourceRecord s = decoder.decode(
                        r.topic(), 0, offset++, r.key().getBytes(StandardCharsets.UTF_8), r.value(), clock.millis());
                if (s.getBot()) {
                    bots++;
                    assertThat(r.key()).startsWith("bot-");
                } else if (s.getDeadLetter() != null) {
                    deadLetters.merge(s.getDeadLetter().getReason(), 1, Integer::sum);
                } else {
                    events++;
                    assertThat(r.key()).startsWith("user-");
                }
            }
        }

        assertThat(deadLetters)
                .containsOnlyKeys(
                        DeadLetterReason.UNDECODABLE,
                        DeadLetterReason.NEGATIVE_DWELL,
                        DeadLetterReason.DWELL_TOO_LONG,
                        DeadLetterReason.FUTURE_TIMESTAMP,
                        DeadLetterReason.INVALID_TIME_ZONE,
                        DeadLetterReason.FIELD_TOO_LARGE);
        double total = events
                + bots
                + deadLetters.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isGreaterThan(12_000);
        assertThat(bots / total).isBetween(0.0025, 0.008);
    }

    private static DoorDecoder decoder(EventKind kind, Path key) {
        DoorDecoder d = Doors.event(kind, new DoorSettings(InputFormat.AVRO, 600_000, key.toString(), null, true));
        d.open();
        return d;
    }
}
