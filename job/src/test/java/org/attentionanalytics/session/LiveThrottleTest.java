package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;
import org.junit.jupiter.api.Test;

class LiveThrottleTest {
    private static InterestVector vector(double sports, double news) {
        double n = Math.sqrt(sports * sports + news * news);
        return new InterestVector(
                "u",
                Instant.EPOCH,
                List.of(new TopicWeight("sports", sports / n), new TopicWeight("news", news / n)),
                n,
                1L);
    }

    @Test
    void aUserSendsOncePerIntervalAndIsForgottenAfterIt() {
        LiveThrottle t = new LiveThrottle(1_000);
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.offer("b", 400)).isTrue();
        assertThat(t.offer("a", 999)).isFalse(); // held
        assertThat(t.nextDue()).isEqualTo(1_000); // a's interval ends first
        assertThat(t.due(999)).isEmpty();
        assertThat(t.due(1_000)).containsExactly("a"); // sent now: its next interval starts at 1,000
        assertThat(t.hasHeld()).isFalse();
        assertThat(t.offer("a", 1_500)).isFalse();
        assertThat(t.due(1_400)).isEmpty(); // b is forgotten: not held, sent 1 s ago
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.due(2_000)).containsExactly("a");
        assertThat(t.drain()).isEmpty();
    }

    @Test
    void aRecordThatMovedByNoMoreThanTheThresholdIsNotSent() {
        LiveThrottle t = new LiveThrottle(1_000);
        t.offer("a", 0);
        assertThat(t.changed("a", vector(1, 1))).isTrue();
        // cosine distance of (1,1) and (1,1.01): 1 - 2.01/sqrt(2 * 2.0201) = 1.2e-5 <= 0.01
        assertThat(t.changed("a", vector(1, 1.01))).isFalse();
        // (1,1) and (1,2): 1 - 3/sqrt(10) = 0.0513 > 0.01
        assertThat(t.changed("a", vector(1, 2))).isTrue();
    }

    @Test
    void withoutAnIntervalEveryRecordGoesOutAndNothingIsRemembered() {
        LiveThrottle t = new LiveThrottle(0);
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.size()).isZero();
    }
}
