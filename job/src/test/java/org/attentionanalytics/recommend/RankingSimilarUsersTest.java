package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.recommend.RankingContentTest.answer;
import static org.attentionanalytics.recommend.RankingContentTest.message;
import static org.attentionanalytics.recommend.RankingContentTest.request;
import static org.attentionanalytics.recommend.RankingModesTest.T;
import static org.attentionanalytics.recommend.RankingModesTest.keys;
import static org.attentionanalytics.recommend.RankingModesTest.watermark;

import java.util.List;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.junit.jupiter.api.Test;

/**
 * {@link RankingFunction} with similar users (DESIGN.md section 12), lists of 3, weights
 * SIMILAR_TO_RECENT 1 and SIMILAR_USERS 1. Item-to-item answers a 0.9, b 0.3. Two buckets answer
 * the user's vector of T: c 2, d 1 and c 1.5, e 0.5; merged by the best per item: c 2, d 1, e 0.5.
 *
 * <p>Blended (each source over its best, times its weight): a 0.9/0.9 = 1; c 2/2 = 1; d 0.5; b
 * 0.3/0.9 = 0.333; e 0.25. a and c tie at 1: by item id, a first. The list: a, c, d.
 */
class RankingSimilarUsersTest {
    static final SourceWeights WEIGHTS = new SourceWeights(1, 0, 1);

    @Test
    void blendsTheSimilarUsersItemsWithTheItemToItemCandidates() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, WEIGHTS)) {
            h.processElement(message(RankMessageKind.SIMILAR, T, List.of("c", "d"), List.of(2.0, 1.0)), T);
            h.processElement(message(RankMessageKind.SIMILAR, T, List.of("c", "e"), List.of(1.5, 0.5)), T);
            h.processElement(request(T), T);
            h.processElement(answer(T), T);
            watermark(h, T);
            Recommendation r = h.extractOutputValues().get(0).getRecommendation();
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactly("a", "c", "d");
            assertThat(r.getItems())
                    .extracting(RecommendedItem::getReason)
                    .containsExactly(
                            RecommendationReason.SIMILAR_TO_RECENT,
                            RecommendationReason.SIMILAR_USERS,
                            RecommendationReason.SIMILAR_USERS);
            assertThat(r.getItems()).extracting(RecommendedItem::getScore).containsExactly(1.0, 1.0, 0.5);
            assertThat(keys(h, RecsState.SIMILAR_USERS)).containsExactly("u");
        }
    }

    /** A newer vector's answers replace the older ones; an item the user must not see is never proposed. */
    @Test
    void theLatestVectorsAnswersHoldAndExclusionsApply() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, WEIGHTS)) {
            h.processElement(message(RankMessageKind.SIMILAR, T - 2, List.of("c"), List.of(2.0)), T - 2);
            h.processElement(message(RankMessageKind.SIMILAR, T - 1, List.of("x", "e"), List.of(3.0, 1.0)), T - 1);
            // the request excludes x (the user viewed it)
            h.processElement(
                    RankMessage.newBuilder(RankingModesTest.request(T))
                            .setItems(List.of("x"))
                            .build(),
                    T);
            h.processElement(answer(T), T);
            watermark(h, T);
            Recommendation r = h.extractOutputValues().get(0).getRecommendation();
            // a 1, e 1/1 = 1 (x gone, e is the best left), b 0.333: a and e tie, by id
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactly("a", "e", "b");
            assertThat(r.getItems().get(2).getScore()).isCloseTo(1.0 / 3, within(1e-12));
        }
    }

    @Test
    void anErasureClearsTheSimilarUsersItems() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, WEIGHTS)) {
            h.processElement(message(RankMessageKind.SIMILAR, T, List.of("c"), List.of(2.0)), T);
            watermark(h, T);
            assertThat(keys(h, RecsState.SIMILAR_USERS)).containsExactly("u");
            h.processElement(RankingModesTest.erased(T + 1), T + 1);
            watermark(h, T + 1);
            assertThat(keys(h, RecsState.SIMILAR_USERS)).isEmpty();
        }
    }

    /** With the source off (weight 0) the answers are dropped and not kept. */
    @Test
    void withoutSimilarUsersTheAnswersAreDropped() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, RankingContentTest.WEIGHTS)) {
            h.processElement(message(RankMessageKind.SIMILAR, T, List.of("c"), List.of(2.0)), T);
            h.processElement(request(T), T);
            h.processElement(answer(T), T);
            watermark(h, T);
            assertThat(h.extractOutputValues().get(0).getRecommendation().getItems())
                    .extracting(RecommendedItem::getItemId)
                    .doesNotContain("c");
            assertThat(keys(h, RecsState.SIMILAR_USERS)).isEmpty();
        }
    }
}
