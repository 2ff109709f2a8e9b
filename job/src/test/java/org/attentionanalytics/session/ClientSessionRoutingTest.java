package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.minutes;

import org.attentionanalytics.avro.DeadLetterReason;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientSessionRouting} on RocksDB in Flink's operator harness: events wait for the
 * watermark and are routed in event order, so the identity of a session is its earliest event's
 * whatever the arrival order; the cap; erasure. Cap 12 h, gap 30 min, lateness 5 min.
 */
class ClientSessionRoutingTest {
    private static final long CAP = minutes(720);

    @Test
    void theEarliestEventDecidesTheIdentityWhateverArrivesFirst() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            // alice's event (0:05, after a login) arrives before the anonymous first event (0:00)
            r.event("p-alice", "s1", "e2", at(5, 0)).event("p-duid-a", "s1", "e1", at(0, 0));
            assertThat(r.routed()).isEmpty(); // both wait for the watermark
            r.watermark(at(10, 0));
            assertThat(r.routed()).containsExactly("e1>p-duid-a", "e2>p-duid-a");
            r.event("p-duid-b", "s1", "e3", at(8, 0)); // late (behind the watermark): routed at once
            assertThat(r.routed()).endsWith("e3>p-duid-a");
        }
    }

    @Test
    void anEventMoreThanTheCapAfterTheStartIsADeadLetter() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-a", "s1", "e1", at(0, 0))
                    .event("p-a", "s1", "e2", at(0, 0) + CAP)
                    .event("p-a", "s1", "e3", at(0, 0) + CAP + 1000);
            r.watermark(at(0, 0) + CAP + 1000);
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-a");
            assertThat(r.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.BEYOND_MAX_SESSION);
                assertThat(d.getDeadLetter().getDetail())
                        .isEqualTo("event_time 2025-01-06T21:00:01Z is more than --max-session-duration (PT12H) "
                                + "after its session's start 2025-01-06T09:00:00Z");
                assertThat(d.getDeadLetterKey()).isEqualTo("p-a");
            });
        }
    }

    @Test
    void anErasureForgetsTheSessionsOfItsPseudonym() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-a", "s1", "e1", at(0, 0))
                    .event("p-b", "s2", "e2", at(0, 0))
                    .watermark(at(1, 0));
            r.erase("p-a", at(1, 0));
            // s1 is forgotten: its next event starts it anew with its own identity; s2 keeps p-b.
            r.event("p-c", "s1", "e3", at(2, 0))
                    .event("p-d", "s2", "e4", at(2, 0))
                    .watermark(at(3, 0));
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-b", "e3>p-c", "e4>p-b");
        }
    }

    @Test
    void aSessionIsForgottenTwiceTheCapAfterItsStartOnceQuietForTheGap() throws Exception {
        try (ClientSessionRoutingHarness r = new ClientSessionRoutingHarness()) {
            r.event("p-a", "s1", "e1", at(0, 0)).watermark(at(0, 0) + 2 * CAP + minutes(5)); // forgotten at 24:05
            r.event("p-b", "s1", "e2", at(0, 0) + 2 * CAP + minutes(6)).watermark(at(0, 0) + 2 * CAP + minutes(7));
            assertThat(r.routed()).containsExactly("e1>p-a", "e2>p-b"); // a new session of the same id
            assertThat(r.deadLetters()).isEmpty();
        }
    }
}
