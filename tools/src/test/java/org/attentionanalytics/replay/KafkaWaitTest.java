package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The waiting lines on a fake clock, the producer timeouts, and {@code --max-wait}'s converter. */
class KafkaWaitTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final AtomicBoolean answers = new AtomicBoolean();
    final StringWriter err = new StringWriter();
    final KafkaWait wait = new KafkaWait(
            "localhost:9092", Duration.ofMinutes(10), new PrintWriter(err, true), false, now::get, answers::get, false);

    void advance(int seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
        wait.tick();
    }

    String[] lines() {
        return err.toString().lines().toArray(String[]::new);
    }

    @Test
    void saysWhatItWaitsForAtMostEvery15SecondsAndWhenItGoesOn() {
        advance(60);
        assertThat(err.toString()).as("nothing pending: idle, not waiting").isEmpty();

        wait.sending("clickstream");
        advance(9);
        assertThat(err.toString()).isEmpty();
        advance(1);
        assertThat(lines())
                .containsExactly(
                        "waiting for Kafka at localhost:9092 (no answer for 10 s; retrying, at most 10 min (--max-wait); Ctrl-C to stop)");
        advance(14);
        assertThat(lines()).hasSize(1);
        advance(1);
        assertThat(lines()).hasSize(2);
        assertThat(lines()[1]).startsWith("waiting for Kafka at localhost:9092 (no answer for 25 s;");

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        wait.acknowledged();
        advance(1);
        assertThat(lines()).hasSize(3);
        assertThat(lines()[2]).isEqualTo("Kafka at localhost:9092 answers again after 27 s; going on");
        advance(30);
        assertThat(lines()).as("nothing pending").hasSize(3);
    }

    @Test
    void aClusterThatAnswersButAcknowledgesNothingIsNamedSo() {
        answers.set(true);
        wait.sending("clickstream");
        wait.sending("clickstream");
        wait.acknowledged();
        advance(130);
        assertThat(lines())
                .containsExactly(
                        "waiting for Kafka at localhost:9092 to accept records for clickstream (it answers, but has"
                                + " acknowledged none for 2 min 10 s: does the topic exist, and has it a leader?; retrying, at most 10 min (--max-wait);"
                                + " Ctrl-C to stop)");
        wait.acknowledged();
        wait.close();
        assertThat(lines()[1])
                .isEqualTo("Kafka at localhost:9092 acknowledges records again after 2 min 10 s; going on");
    }

    @Test
    void givingUpIsOneLineThatSaysWhatWasWritten() {
        wait.sending("clickstream");
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(wait.gaveUp("3 of 5 events acknowledged, the other 2 may be missing"))
                .hasMessage("gave up after 10 min 0 s: no answer from Kafka at localhost:9092 (--max-wait 10 min); "
                        + "3 of 5 events acknowledged, the other 2 may be missing")
                .hasNoCause();
        assertThat(KafkaWait.isGiveUp(
                        new TimeoutException("Topic clickstream not present in metadata after 600000 ms.")))
                .isTrue();
    }

    @Test
    void producerTimeoutsFollowMaxWaitUnlessGiven() {
        Properties p = new Properties();
        KafkaWait.configure(p, Duration.ofMinutes(10));
        assertThat(p).containsEntry("max.block.ms", "600000").containsEntry("delivery.timeout.ms", "600000");

        p = new Properties();
        KafkaWait.configure(p, Duration.ofSeconds(5));
        assertThat(p)
                .as("the producer wants request.timeout.ms + linger.ms at least")
                .containsEntry("max.block.ms", "5000")
                .containsEntry("delivery.timeout.ms", "30005");

        p = new Properties();
        p.put("max.block.ms", "1000");
        p.put("request.timeout.ms", "40000");
        KafkaWait.configure(p, Duration.ofDays(30));
        assertThat(p)
                .containsEntry("max.block.ms", "1000")
                .containsEntry("delivery.timeout.ms", String.valueOf(Integer.MAX_VALUE));
    }

    @Test
    void maxWaitIsAPositiveDuration() {
        KafkaWait.MaxWaitConverter c = new KafkaWait.MaxWaitConverter();
        assertThat(c.convert("30 s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert("10min")).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.convert("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> c.convert("0")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> c.convert("-5 s")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
