package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LiveOptionsTest {
    private static JobOptions parse(String... args) {
        JobOptions o = new JobOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void offByDefaultWithOneSecond() {
        JobOptions o = parse();
        assertThat(o.liveEnabled).isFalse();
        assertThat(o.liveInterval()).isNull();
        assertThat(parse("--live.enabled", "true").liveInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theIntervalIsRefusedBelowZeroAndAboveAnHourInOneLine() {
        assertThatThrownBy(() -> AttentionJob.validate(parse("--live.min-interval", "-1s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--live.min-interval");
        assertThatThrownBy(() -> AttentionJob.validate(parse("--live.min-interval", "1000000000000 d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--live.min-interval must be at most 60 min");
        AttentionJob.validate(parse("--live.min-interval", "1 h"));
    }

    @Test
    void theLingerIsCappedAtTheIntervalAndRefusedBelowZero() {
        assertThat(parse().liveLingerCapped()).isEqualTo(Duration.ofMillis(200));
        assertThat(parse("--live.min-interval", "0s").liveLingerCapped()).isZero();
        assertThat(parse("--live.min-interval", "100ms").liveLingerCapped()).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> AttentionJob.validate(parse("--live.linger", "-1ms")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--live.linger");
    }
}
