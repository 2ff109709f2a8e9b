package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.attentionanalytics.avro.internal.PopularItems;
import org.junit.jupiter.api.Test;

/** {@link ContentMatch} on a small catalog, by hand. */
class ContentMatchTest {
    static final Map<String, Map<String, Double>> CATALOG = Map.of(
            "n1", Map.of("news", 1.0),
            "n2", Map.of("news", 0.6, "science", 0.8),
            "s1", Map.of("science", 1.0),
            "g1", Map.of("games", 1.0));

    /** Per topic: news n1 4 views, n2 2; science n2 2, s1 1; games g1 5. */
    static final Map<String, PopularItems> TOPICS = Map.of(
            "news", snapshot("news", List.of("n1", "n2"), List.of(4.0, 2.0)),
            "science", snapshot("science", List.of("n2", "s1"), List.of(2.0, 1.0)),
            "games", snapshot("games", List.of("g1"), List.of(5.0)));

    static PopularItems snapshot(String topic, List<String> items, List<Double> counts) {
        return PopularItems.newBuilder()
                .setTime(0)
                .setItems(items)
                .setCounts(counts)
                .setTopic(topic)
                .build();
    }

    static List<Blend.Scored> match(Map<String, Double> interests, List<String> top, Set<String> excluded, int size) {
        return match(interests, top, CATALOG::get, excluded, size);
    }

    /** {@link ContentMatch#match} on {@link #TOPICS}' snapshots, with the items' topic vectors of {@code catalog}. */
    static List<Blend.Scored> match(
            Map<String, Double> interests,
            List<String> top,
            Function<String, Map<String, Double>> catalog,
            Set<String> excluded,
            int size) {
        Function<String, ContentMatch.ItemVector> vectors = item -> {
            Map<String, Double> v = catalog.apply(item);
            return v == null ? null : new ContentMatch.ItemVector(v);
        };
        return ContentMatch.match(
                interests, top, topic -> ContentMatch.Candidates.of(TOPICS.get(topic), vectors), excluded, size);
    }

    @Test
    void scoresAreTheCosineTimesTheShareOfTheTopicsTopCount() {
        // interests (news 0.8, science 0.6), norm 1. Cosines: n1 0.8; n2 (0.6, 0.8): 0.48 + 0.48 = 0.96;
        // s1 0.6. Shares: n1 4/4 = 1 in news; n2 2/4 in news, 2/2 = 1 in science (the best is kept); s1 1/2.
        // Scores: n2 0.96, n1 0.8, s1 0.3; g1's topic is not among the user's
        List<Blend.Scored> out = match(Map.of("news", 0.8, "science", 0.6), List.of("news", "science"), Set.of(), 10);
        assertThat(out).extracting(Blend.Scored::item).containsExactly("n2", "n1", "s1");
        assertThat(out.get(0).score()).isCloseTo(0.96, within(1e-12));
        assertThat(out.get(1).score()).isCloseTo(0.8, within(1e-12));
        assertThat(out.get(2).score()).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void onlyTheTopTopicsAndNoExcludedItemAndAtMostSize() {
        // games is the fourth topic: not a source of candidates, though g1 would match it
        Map<String, Double> interests = Map.of("news", 0.4, "science", 0.3, "art", 0.2, "games", 0.1);
        assertThat(match(interests, List.of("news", "science", "art", "games"), Set.of(), 10))
                .extracting(Blend.Scored::item)
                .containsExactly("n2", "n1", "s1");
        assertThat(match(Map.of("news", 0.8, "science", 0.6), List.of("news", "science"), Set.of("n2"), 1))
                .extracting(Blend.Scored::item)
                .containsExactly("n1");
    }

    @Test
    void anItemWithoutTopicsOrATopicWithoutASnapshotGivesNothing() {
        assertThat(match(Map.of("news", 1.0), List.of("news"), item -> null, Set.of(), 10))
                .isEmpty();
        assertThat(match(Map.of("art", 1.0), List.of("art"), Set.of(), 10)).isEmpty();
    }
}
