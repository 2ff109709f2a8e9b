package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.junit.jupiter.api.Test;

/** {@link RecommendationWatcher#line}: how the live demo prints a persona's list. */
class RecommendationWatcherTest {
    @Test
    void similarItemsWithScoresPopularOnesMarked() {
        Recommendation r = Recommendation.newBuilder()
                .setUser("p")
                .setAsOf(Instant.parse("2026-12-06T10:00:00Z"))
                .setMode(RecommendationMode.NORMAL)
                .setItems(List.of(
                        new RecommendedItem("article-1", 0.8165, RecommendationReason.SIMILAR_TO_RECENT),
                        new RecommendedItem("article-2", 12.0, RecommendationReason.POPULAR),
                        new RecommendedItem("article-3", 3.0, RecommendationReason.POPULAR)))
                .build();
        assertThat(RecommendationWatcher.line("demo-overloader", r, 2))
                .isEqualTo("  demo-overloader (as of 2026-12-06T10:00:00Z): article-1 0.82, ~article-2");
        r.setMode(RecommendationMode.FOCUSED);
        assertThat(RecommendationWatcher.line("demo-overloader", r, 1))
                .isEqualTo("  demo-overloader, FOCUSED on its top topics (as of 2026-12-06T10:00:00Z): article-1 0.82");
        r.setMode(RecommendationMode.QUIET);
        r.setItems(List.of());
        assertThat(RecommendationWatcher.line("demo-marathon-reader", r, 2))
                .isEqualTo("  demo-marathon-reader, QUIET (since 2026-12-06T10:00:00Z): nothing until the next break");
        r.setMode(RecommendationMode.NORMAL);
        assertThat(RecommendationWatcher.line("x", r, 2)).endsWith(": (nothing yet)");
    }
}
