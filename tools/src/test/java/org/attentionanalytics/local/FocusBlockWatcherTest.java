package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.attentionanalytics.avro.FocusBlockReport;
import org.junit.jupiter.api.Test;

class FocusBlockWatcherTest {
    private static final String PSEUDONYM = "ab12cd34d3e4b5a6c7d8e9f0a1b2c3d4";

    @Test
    void aReportLineNamesThePersonaWhenKnownElseThePseudonymPrefix() {
        FocusBlockReport report = FocusBlockReport.newBuilder()
                .setBlockId("b1")
                .setUser(PSEUDONYM)
                .setName("deep-work")
                .setStart(Instant.parse("2026-11-29T09:00:00Z"))
                .setEnd(Instant.parse("2026-11-29T09:30:00Z"))
                .setZone("UTC")
                .setEngagedMsByCategory(Map.of("technology", 1_116_000L, "sports", 684_000L))
                .setFocusMs(1_116_000)
                .setNeutralMs(0)
                .setDistractionMs(684_000)
                .setFocusShare(0.62)
                .setContextSwitches(3)
                .setLongestFocusMs(8 * 60_000 + 20_000)
                .setMeanAttentionSpanMs(75_000)
                .setInterruptions(2)
                .setViews(24)
                .build();

        assertThat(FocusBlockWatcher.line(report, Map.of(PSEUDONYM, "demo-focus-worker")))
                .isEqualTo("FOCUS BLOCK deep-work of demo-focus-worker (ab12cd34…) 09:00-09:30Z: "
                        + "focus 62%, 3 switches, longest focus 8 min, 2 interruptions");
        assertThat(FocusBlockWatcher.line(report, Map.of()))
                .startsWith("FOCUS BLOCK deep-work of ab12cd34… 09:00-09:30Z: focus 62%");
    }
}
