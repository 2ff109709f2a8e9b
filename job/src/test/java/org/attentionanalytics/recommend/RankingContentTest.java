package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.recommend.RankingModesTest.T;
import static org.attentionanalytics.recommend.RankingModesTest.item;
import static org.attentionanalytics.recommend.RankingModesTest.keys;
import static org.attentionanalytics.recommend.RankingModesTest.watermark;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.avro.RecommendedItem;
import org.attentionanalytics.avro.internal.PopularItems;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RankingBroadcast;
import org.junit.jupiter.api.Test;

/**
 * {@link RankingFunction} with content matching (DESIGN.md section 12), lists of 3, weights
 * SIMILAR_TO_RECENT 1 and MATCHES_INTERESTS 0.5. Catalog: a, n1 and n2 news, b sport, s1 science.
 * The topics' snapshots at T - 1 min: news n1 4, n2 2, a 1; science s1 3. The user's interests from
 * T: news 0.8, science 0.6 (unit length). The item-to-item answer: a 0.9, b 0.3.
 *
 * <p>Content: cosines n1 = n2 = a = 0.8 (news only), s1 0.6; shares of the topic's top count n1 1,
 * n2 0.5, a 0.25, s1 1; scores n1 0.8, s1 0.6, n2 0.4, a 0.2. Blended (each source over its best,
 * times its weight): a 0.9/0.9 + 0.5 x 0.2/0.8 = 1.125 (most from SIMILAR_TO_RECENT); n1 0.5 x 1 =
 * 0.5; s1 0.5 x 0.75 = 0.375; b 0.3/0.9 = 0.333; n2 0.25. The list: a, n1, s1.
 */
class RankingContentTest {
    static final SourceWeights WEIGHTS = new SourceWeights(1, 0.5, 0);

    static RankingBroadcast topic(String topic, long time, List<String> items, List<Double> counts) {
        return new RankingBroadcast(
                PopularItems.newBuilder()
                        .setTime(time)
                        .setReferenceTime(time)
                        .setItems(new ArrayList<>(items))
                        .setCounts(new ArrayList<>(counts))
                        .setTopic(topic)
                        .build(),
                null,
                null);
    }

    /** A message of {@code kind} at {@code t} with {@code items} and their {@code scores}. */
    static RankMessage message(RankMessageKind kind, long t, List<String> items, List<Double> scores) {
        return RankMessage.newBuilder()
                .setUser("u")
                .setKind(kind)
                .setTime(t)
                .setItems(new ArrayList<>(items))
                .setScores(new ArrayList<>(scores))
                .build();
    }

    static RankMessage interests(long t) {
        return message(RankMessageKind.INTERESTS, t, List.of("news", "science"), List.of(0.8, 0.6));
    }

    static RankMessage request(long t) {
        return RankingModesTest.request(t);
    }

    static RankMessage answer(long t) {
        return message(RankMessageKind.SCORES, t, List.of("a", "b"), List.of(0.9, 0.3));
    }

    static void catalogAndTopics(
            org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<?, ?, RankingBroadcast, ?> h)
            throws Exception {
        for (String news : List.of("a", "n1", "n2")) {
            h.processBroadcastElement(item(news, "news"), T);
        }
        h.processBroadcastElement(item("b", "sport"), T);
        h.processBroadcastElement(item("s1", "science"), T);
        h.processBroadcastElement(topic("news", T - 60_000, List.of("n1", "n2", "a"), List.of(4.0, 2.0, 1.0)), T);
        h.processBroadcastElement(topic("science", T - 60_000, List.of("s1"), List.of(3.0)), T);
        // a later snapshot is not in force at T: it must not change the list
        h.processBroadcastElement(topic("news", T + 60_000, List.of("n2"), List.of(10.0)), T);
    }

    /** The catalog, the topics, the interests at T and the list of T. */
    static void firstList(
            org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<String, RankMessage, RankingBroadcast, ?>
                    h)
            throws Exception {
        catalogAndTopics(h);
        h.processElement(interests(T), T);
        h.processElement(request(T), T);
        h.processElement(answer(T), T);
        watermark(h, T);
    }

    @Test
    void blendsTheMatchesOfTheInterestVectorWithTheItemToItemCandidates() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, WEIGHTS)) {
            firstList(h);
            Recommendation r = h.extractOutputValues().get(0).getRecommendation();
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactly("a", "n1", "s1");
            assertThat(r.getItems())
                    .extracting(RecommendedItem::getReason)
                    .containsExactly(
                            RecommendationReason.SIMILAR_TO_RECENT,
                            RecommendationReason.MATCHES_INTERESTS,
                            RecommendationReason.MATCHES_INTERESTS);
            assertThat(r.getItems().get(0).getScore()).isCloseTo(1.125, within(1e-12));
            assertThat(r.getItems().get(1).getScore()).isCloseTo(0.5, within(1e-12));
            assertThat(r.getItems().get(2).getScore()).isCloseTo(0.375, within(1e-12));
        }
    }

    /**
     * The catalog moves n1 to science after the first list: its cosine becomes 0.6, its score 0.6 x 1.
     * Content n1 0.6, s1 0.6, n2 0.4, a 0.2 (best 0.6); blended a 1 + 0.5 x 0.2/0.6 = 1.1667, n1 0.5,
     * s1 0.5 (ties by id). The topics' candidates are built again with the new vector.
     */
    @Test
    void aCatalogChangeTakesEffectInTheNextList() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, WEIGHTS)) {
            firstList(h);
            h.processBroadcastElement(item("n1", "science"), T);
            h.processElement(request(T + 1), T + 1);
            h.processElement(answer(T + 1), T + 1);
            watermark(h, T + 1);
            List<Recommendation> lists = new ArrayList<>();
            h.extractOutputValues().forEach(u -> lists.add(u.getRecommendation()));
            assertThat(lists.get(0).getItems().get(2).getScore()).isCloseTo(0.375, within(1e-12));
            Recommendation r = lists.get(1);
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactly("a", "n1", "s1");
            assertThat(r.getItems().get(0).getScore()).isCloseTo(1 + 0.5 * 0.2 / 0.6, within(1e-12));
            assertThat(r.getItems().get(1).getScore()).isCloseTo(0.5, within(1e-12));
            assertThat(r.getItems().get(2).getScore()).isCloseTo(0.5, within(1e-12));
        }
    }

    /** Interests from after the request, or none: item-to-item and the popular fill alone (a 1, b 1/3). */
    @Test
    void aVectorTakesEffectAtItsTime() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, WEIGHTS)) {
            catalogAndTopics(h);
            h.processElement(request(T), T);
            h.processElement(answer(T), T);
            h.processElement(interests(T + 1), T + 1);
            watermark(h, T);
            Recommendation r = h.extractOutputValues().get(0).getRecommendation();
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactly("a", "b");
            assertThat(r.getItems().get(1).getScore()).isCloseTo(1.0 / 3, within(1e-12));
        }
    }

    @Test
    void anErasureClearsTheInterestVector() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0, WEIGHTS)) {
            h.processElement(interests(T), T);
            watermark(h, T);
            assertThat(keys(h, RecsState.INTERESTS)).containsExactly("u");
            h.processElement(RankingModesTest.erased(T + 1), T + 1);
            watermark(h, T + 1);
            assertThat(keys(h, RecsState.INTERESTS)).isEmpty();
        }
    }

    /** With item-to-item alone the vectors are not kept and the scores stay the summed similarities. */
    @Test
    void withoutContentMatchingTheVectorIsDropped() throws Exception {
        try (var h = RecsHarnesses.ranking(RankingModesTest.SETTINGS, 0)) {
            catalogAndTopics(h);
            h.processElement(interests(T), T);
            h.processElement(request(T), T);
            h.processElement(answer(T), T);
            watermark(h, T);
            Recommendation r = h.extractOutputValues().get(0).getRecommendation();
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactly("a", "b");
            assertThat(r.getItems().get(0).getScore()).isCloseTo(0.9, within(1e-12));
            assertThat(keys(h, RecsState.INTERESTS)).isEmpty();
        }
    }
}
