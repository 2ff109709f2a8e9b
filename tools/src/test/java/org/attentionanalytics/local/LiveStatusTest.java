package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveStatusTest {
    @Test
    void ratesOpenSessionsAndNonZeroDeadLetterReasons() {
        LiveStatus status = new LiveStatus("http://localhost:8081");
        assertThat(status.render(Map.of(), 0))
                .isEqualTo(
                        "events 0/s (0 total) | sessions 0 open, 0 closed | page-view records 0 | alerts 0 | dead letters 0 | duplicates 0 | bots 0 | http://localhost:8081");

        Map<String, Object> acc = new java.util.HashMap<>(Map.of(
                "eventsIn",
                5000L,
                "sessionsStarted",
                120L,
                "sessionsClosed",
                15,
                "sessionsSuperseded",
                5L,
                "deadLetters.TOO_LATE",
                10L,
                "deadLetters.UNDECODABLE",
                2,
                "duplicates",
                7L,
                "bots",
                3L,
                "alerts.TAKE_A_BREAK",
                1L,
                "alerts.INFORMATION_OVERLOAD",
                2L));
        acc.put("pageViewRecords", 1_234L);
        // 5,000 events in 2 s since the previous line
        assertThat(status.render(acc, 2_000_000_000L))
                .isEqualTo(
                        "events 2,500/s (5,000 total) | sessions 100 open, 15 closed | page-view records 1,234 | alerts 3 (INFORMATION_OVERLOAD 2, TAKE_A_BREAK 1)"
                                + " | dead letters 12 (UNDECODABLE 2, TOO_LATE 10)"
                                + " | duplicates 7 | bots 3 | http://localhost:8081");
    }

    @Test
    void openSessionsNeverNegativeAndCounterRestartsGiveNoNegativeRate() {
        LiveStatus status = new LiveStatus("u");
        status.render(Map.of("eventsIn", 100L), 0);
        assertThat(status.render(Map.of("eventsIn", 10L, "sessionsClosed", 4L, "sessionsStarted", 1L), 1_000_000_000L))
                .startsWith("events 0/s (10 total) | sessions 0 open, 4 closed");
    }
}
