package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.recommend.Blend.Scored;
import org.junit.jupiter.api.Test;

/** {@link Blend}: per-source normalization, weights and reasons, by hand. */
class BlendTest {
    static final Map<RecommendationReason, List<Scored>> CANDIDATES = Map.of(
            RecommendationReason.SIMILAR_TO_RECENT, List.of(new Scored("a", 2.0), new Scored("b", 1.0)),
            RecommendationReason.SIMILAR_USERS, List.of(new Scored("b", 6.0), new Scored("c", 3.0)),
            RecommendationReason.MATCHES_INTERESTS, List.of(new Scored("c", 0.9), new Scored("d", 0.45)));

    @Test
    void normalizesEachSourceToItsBestWeighsAndSums() {
        Blend blend = new Blend(Map.of(
                RecommendationReason.SIMILAR_TO_RECENT, 1.0,
                RecommendationReason.SIMILAR_USERS, 0.5,
                RecommendationReason.MATCHES_INTERESTS, 0.25));
        List<RecommendedItem> out = blend.blend(CANDIDATES, 10);
        // normalized: recent a 1, b 0.5; users b 1, c 0.5; interests c 1, d 0.5
        // a = 1 x 1 = 1; b = 0.5 + 0.5 x 1 = 1.0 (tied with a: by item id); c = 0.5 x 0.5 + 0.25 x 1 = 0.5;
        // d = 0.25 x 0.5 = 0.125. Reasons: b's parts tie (recent 0.5, users 0.5), so do c's (users
        // 0.25, interests 0.25): the first in RecommendationReason's order wins.
        assertThat(out).extracting(RecommendedItem::getItemId).containsExactly("a", "b", "c", "d");
        assertThat(out.get(0).getScore()).isCloseTo(1.0, within(1e-12));
        assertThat(out.get(1).getScore()).isCloseTo(1.0, within(1e-12));
        assertThat(out.get(2).getScore()).isCloseTo(0.5, within(1e-12));
        assertThat(out.get(3).getScore()).isCloseTo(0.125, within(1e-12));
        assertThat(out.get(0).getReason()).isEqualTo(RecommendationReason.SIMILAR_TO_RECENT);
        assertThat(out.get(1).getReason()).isEqualTo(RecommendationReason.SIMILAR_TO_RECENT);
        // ties go to the first in RecommendationReason's order: SIMILAR_TO_RECENT, POPULAR, MATCHES_INTERESTS,
        // SIMILAR_USERS
        assertThat(out.get(2).getReason()).isEqualTo(RecommendationReason.MATCHES_INTERESTS);
        assertThat(out.get(3).getReason()).isEqualTo(RecommendationReason.MATCHES_INTERESTS);
    }

    @Test
    void aSourceWithoutWeightIsLeftOutAndTheSizeHolds() {
        Blend recentOnly = new Blend(Map.of(RecommendationReason.SIMILAR_TO_RECENT, 1.0));
        assertThat(recentOnly.blend(CANDIDATES, 10))
                .extracting(RecommendedItem::getItemId)
                .containsExactly("a", "b");
        Blend users =
                new Blend(Map.of(RecommendationReason.SIMILAR_USERS, 2.0, RecommendationReason.SIMILAR_TO_RECENT, 0.0));
        List<RecommendedItem> out = users.blend(CANDIDATES, 1);
        assertThat(out).extracting(RecommendedItem::getItemId).containsExactly("b");
        assertThat(out.get(0).getScore()).isCloseTo(2.0, within(1e-12));
        assertThat(out.get(0).getReason()).isEqualTo(RecommendationReason.SIMILAR_USERS);
    }

    @Test
    void refusesNegativeWeights() {
        assertThatThrownBy(() -> new Blend(Map.of(RecommendationReason.SIMILAR_USERS, -1.0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Blend(Map.of(RecommendationReason.SIMILAR_USERS, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
