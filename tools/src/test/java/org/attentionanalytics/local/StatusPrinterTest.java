package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;
import org.junit.jupiter.api.Test;

class StatusPrinterTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintWriter out = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
    final AtomicLong clock = new AtomicLong();

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalTheStatusIsOneLineRewrittenAndAlertsStay() {
        StatusPrinter p = new StatusPrinter(out, true, clock::get);
        p.status("events 10");
        p.status("events 20");
        p.line("ALERT demo-overloader");
        p.status("events 30");
        p.finish();
        // 3 status renderings, 1 alert line, and a newline at the end: 2 lines in all
        assertThat(printed())
                .isEqualTo("\revents 10\u001B[K\revents 20\u001B[K\r\u001B[KALERT demo-overloader\n"
                        + "\revents 30\u001B[K\n");
        assertThat(printed().split("\n")).hasSize(2);
    }

    @Test
    void elsewhereTheStatusIsALineAtMostEvery30Seconds() {
        StatusPrinter p = new StatusPrinter(out, false, clock::get);
        for (int second = 0; second <= 62; second += 2) { // 32 ticks of 2 s
            clock.set(second * 1000L);
            p.status("events at " + second);
        }
        p.line("ALERT demo-marathon-reader");
        p.finish();
        assertThat(printed()).isEqualTo("events at 0\nevents at 30\nevents at 60\nALERT demo-marathon-reader\n");
    }

    @Test
    void topTopicsShowOnlyUsersWithEnoughEventsAndCountThemInGoodEnglish() {
        InterestVector one = vector("aaaaaaaa11", 1);
        InterestVector many = vector("bbbbbbbb22", 12);
        assertThat(InterestVectorWatcher.lines(List.of(one, many), 3, 2, 10))
                .containsExactly("  bbbbbbbb… (12 events): news 1.00");
        assertThat(InterestVectorWatcher.lines(List.of(one), 3, 2, 1))
                .containsExactly("  aaaaaaaa… (1 event): news 1.00");
        assertThat(InterestVectorWatcher.lines(List.of(one), 3, 2, 10)).isEmpty();
    }

    static InterestVector vector(String user, long events) {
        return InterestVector.newBuilder()
                .setUser(user)
                .setAsOf(Instant.EPOCH)
                .setNorm(1.0)
                .setEventsCounted(events)
                .setTop(List.of(
                        TopicWeight.newBuilder().setTopic("news").setWeight(1.0).build()))
                .build();
    }
}
