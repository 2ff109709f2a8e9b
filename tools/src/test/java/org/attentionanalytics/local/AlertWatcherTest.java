package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.junit.jupiter.api.Test;

class AlertWatcherTest {
    private static final String PSEUDONYM = "5f2c9a01d3e4b5a6c7d8e9f0a1b2c3d4";

    @Test
    void anAlertLineNamesThePersonaWhenKnownElseThePseudonymPrefix() {
        AttentionAlert alert = AttentionAlert.newBuilder()
                .setAlertId("a1")
                .setUser(PSEUDONYM)
                .setType(AlertType.TAKE_A_BREAK)
                .setEventTime(Instant.parse("2026-11-29T10:52:13Z"))
                .setMetrics(Map.of())
                .setThresholds(Map.of())
                .setMessage("Time for a break.")
                .build();

        assertThat(AlertWatcher.line(alert, Map.of(PSEUDONYM, "demo-marathon-reader")))
                .isEqualTo(
                        "ALERT TAKE_A_BREAK for demo-marathon-reader (5f2c9a01…) at 2026-11-29T10:52:13Z: Time for a break.");
        assertThat(AlertWatcher.line(alert, Map.of()))
                .isEqualTo("ALERT TAKE_A_BREAK for 5f2c9a01… at 2026-11-29T10:52:13Z: Time for a break.");
    }
}
