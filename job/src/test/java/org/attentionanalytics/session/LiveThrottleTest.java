package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveThrottleTest {
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
    void withoutAnIntervalEveryRecordGoesOutAndNothingIsRemembered() {
        LiveThrottle t = new LiveThrottle(0);
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.size()).isZero();
    }
}
