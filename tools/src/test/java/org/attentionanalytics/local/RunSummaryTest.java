package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.replay.ReplayResult;
import org.attentionanalytics.replay.SkipReason;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    private static final ReplayResult INPUT =
            new ReplayResult(5, 3, 2, 0, 0, 0, 0, 9, Map.of(SkipReason.NO_USER, 1L, SkipReason.BAD_TIME, 1L));

    @Test
    void theInputCountsFollowTheOutputs() {
        RunSummary summary =
                new RunSummary(Map.of("sessions", 4L), Map.of(DeadLetterReason.TOO_LATE, 1L), 4, 2, 1, INPUT);

        assertThat(summary.toJson()).endsWith("""
                          "duplicates": 4,
                          "duplicate_views": 2,
                          "bots": 1,
                          "input": {
                            "rows_read": 9,
                            "rows_skipped": 2,
                            "skipped": {
                              "no_user": 1,
                              "bad_time": 1,
                              "bad_number": 0,
                              "missing_column": 0,
                              "invalid": 0
                            },
                            "published": {
                              "clicks": 5,
                              "dwells": 3
                            }
                          }
                        }
                        """);
        assertThat(summary.toTable())
                .contains("input rows read", "input rows skipped  no_user")
                .containsSubsequence("duplicates  ", " 4\n", "duplicate views  ", " 2\n", "bots  ", " 1\n")
                .doesNotContain("bad_number");
    }

    @Test
    void withoutInputCountsThereIsNoInputSection() {
        assertThat(new RunSummary(Map.of("sessions", 4L), Map.of(), 0, 0, 0).toJson())
                .doesNotContain("input");
    }
}
