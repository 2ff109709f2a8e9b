package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveThrottleTest {
    @Test
    void aUserSendsOncePerIntervalAndIsForgottenAfterIt() {
        LiveThrottle t = new LiveThrottle(1_000, 0);
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.offer("b", 400)).isTrue();
        assertThat(t.offer("a", 999)).isFalse(); // held
        assertThat(t.nextDue()).isEqualTo(1_000); // a's interval ends first
        assertThat(t.due(999)).isEmpty();
        assertThat(t.due(1_000)).containsExactly("a"); // sent now: its next interval starts at 1,000
        assertThat(t.drain(1_000)).isEmpty(); // nobody held
        assertThat(t.offer("a", 1_500)).isFalse();
        assertThat(t.due(1_400)).isEmpty(); // b is forgotten: not held, sent 1 s ago
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.due(2_000)).containsExactly("a");
        assertThat(t.drain(2_000)).isEmpty();
    }

    @Test
    void withoutAnIntervalEveryRecordGoesOutAndNothingIsRemembered() {
        LiveThrottle t = new LiveThrottle(0, 0);
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.offer("a", 0)).isTrue();
        assertThat(t.size()).isZero();
    }

    /**
     * Interval 1,000 ms, linger 200 ms: a's first event at 0 waits to 200, so its click at 50 goes out
     * in the same record; its next record is due at 200 + 1,000. b, arriving at 100 while a lingers,
     * goes out at 300, before a's interval ends: the lingering users are due in their own order.
     */
    @Test
    void theFirstRecordAfterAQuietIntervalLingersForTheEventsThatComeWithIt() {
        LiveThrottle t = new LiveThrottle(1_000, 200);
        assertThat(t.offer("a", 0)).isFalse();
        assertThat(t.offer("a", 50)).isFalse(); // the click: in the lingering record
        assertThat(t.offer("b", 100)).isFalse();
        assertThat(t.nextDue()).isEqualTo(200);
        assertThat(t.due(199)).isEmpty();
        assertThat(t.due(200)).containsExactly("a");
        assertThat(t.nextDue()).isEqualTo(300); // b's linger, before a's interval (1,200)
        assertThat(t.offer("a", 250)).isFalse(); // within a's interval: held
        assertThat(t.due(300)).containsExactly("b");
        assertThat(t.due(1_199)).isEmpty();
        assertThat(t.due(1_200)).containsExactly("a");
        assertThat(t.due(1_300)).isEmpty(); // b forgotten: not held
        assertThat(t.offer("b", 1_300)).isFalse(); // a quiet interval later: lingers again
        assertThat(t.drain(1_350)).containsExactly("b"); // a barrier: sent now
        assertThat(t.offer("b", 1_400)).isFalse(); // within the interval from the drain: held
        assertThat(t.nextDue()).isEqualTo(2_200); // a, sent at 1,200, is remembered first
    }
}
