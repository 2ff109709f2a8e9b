package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationMode;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.junit.jupiter.api.Test;

/** {@link Ranking}: summed similarities, exclusion, the popular fill. */
class RankingTest {
    static final long T = 1_700_000_000_000L;

    static RankMessage scores(List<String> items, List<Double> scores) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.SCORES)
                .setTime(T)
                .setItems(items)
                .setScores(scores)
                .build();
    }

    @Test
    void sumsTheAnswersExcludesAndFillsWithPopularItems() {
        RankMessage request = RankMessage.newBuilder()
                .setUser("u")
                .setKind(RankMessageKind.REQUEST)
                .setTime(T)
                .setAsOf(T - 5)
                .setItems(List.of("d"))
                .build();
        List<RankMessage> answers =
                List.of(scores(List.of("b", "c"), List.of(0.5, 0.2)), scores(List.of("c", "d"), List.of(0.4, 0.1)));
        PopularItems popular = PopularItems.newBuilder()
                .setTime(T)
                .setReferenceTime(T)
                .setItems(List.of("e", "b", "d", "f"))
                .setCounts(List.of(10.0, 8.0, 6.0, 5.0))
                .build();
        Recommendation r = new Ranking(4).rank("u", request, answers, popular);
        // c: 0.2 + 0.4 = 0.6, b: 0.5, d excluded; then popular e and f (b listed, d excluded)
        assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactly("c", "b", "e", "f");
        assertThat(r.getItems().get(0).getScore()).isCloseTo(0.6, within(1e-12));
        assertThat(r.getItems())
                .extracting(RecommendedItem::getReason)
                .containsExactly(
                        RecommendationReason.SIMILAR_TO_RECENT,
                        RecommendationReason.SIMILAR_TO_RECENT,
                        RecommendationReason.POPULAR,
                        RecommendationReason.POPULAR);
        assertThat(r.getItems().get(2).getScore()).isEqualTo(10.0);
        assertThat(r.getAsOf().toEpochMilli()).isEqualTo(T - 5);
        assertThat(r.getMode()).isEqualTo(RecommendationMode.NORMAL);
        // the answers' order does not matter
        Recommendation reversed = new Ranking(4).rank("u", request, List.of(answers.get(1), answers.get(0)), popular);
        assertThat(reversed).isEqualTo(r);
        // size 1, no popularity yet
        assertThat(new Ranking(1).rank("u", request, answers, null).getItems())
                .extracting(RecommendedItem::getItemId)
                .containsExactly("c");
    }
}
