package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.avro.internal.NeighbourhoodKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.attentionanalytics.avro.internal.RecsHistory;
import org.junit.jupiter.api.Test;

/**
 * The history's side of similar users ({@link Neighbourhoods} through {@link UserHistory}): an
 * INTERESTS signal joins the vector's buckets with the user's recent items, the next vector leaves
 * the buckets it is no longer in, an erasure leaves them all.
 */
class NeighbourhoodsTest {
    static final RecsSettings SETTINGS = UserHistoryTest.SETTINGS;
    static final SimilarUsers LSH =
            new SimilarUsers(Neighbourhoods.BANDS, Neighbourhoods.ROWS_PER_BAND, Neighbourhoods.SEED);

    final RecommendationEdgeCasesTest.Capture out = new RecommendationEdgeCasesTest.Capture();
    final List<NeighbourhoodMessage> toBuckets = out.toBuckets;
    final List<RankMessage> toRanking = out.toRanking;
    final UserHistory engine = new UserHistory(SETTINGS, true);

    static ItemSignal interests(long t, List<String> topics, List<Double> weights) {
        return ItemSignal.newBuilder()
                .setUser("u")
                .setKind(ItemSignalKind.INTERESTS)
                .setTime(t)
                .setTopTopics(new ArrayList<>(topics))
                .setTopWeights(new ArrayList<>(weights))
                .build();
    }

    static List<Long> keys(Map<String, Double> vector) {
        return Arrays.stream(LSH.buckets(vector)).boxed().toList();
    }

    /**
     * The user viewed 12 items (i1 .. i12, i12 last): the join carries the 10 most recent, i12 .. i3.
     * The vector's 6 topics: the buckets keep and hash the 5 top ones.
     */
    @Test
    void aVectorJoinsItsBucketsWithTheRecentItems() {
        RecsHistory h = UserHistory.empty();
        for (int i = 1; i <= 12; i++) {
            engine.apply(h, "u", i, List.of(UserHistoryTest.view("i" + i, "s", i, 1)), out);
        }
        engine.apply(
                h,
                "u",
                20,
                List.of(interests(
                        20, List.of("x", "y", "a", "b", "c", "d"), List.of(0.8, 0.6, 0.05, 0.04, 0.03, 0.02))),
                out);
        List<Long> keys = keys(Map.of("x", 0.8, "y", 0.6, "a", 0.05, "b", 0.04, "c", 0.03));
        assertThat(toBuckets).hasSize(Neighbourhoods.BANDS);
        assertThat(toBuckets).extracting(NeighbourhoodMessage::getBucket).containsExactlyElementsOf(keys);
        assertThat(toBuckets).allSatisfy(m -> {
            assertThat(m.getKind()).isEqualTo(NeighbourhoodKind.JOIN);
            assertThat(m.getUser()).isEqualTo("u");
            assertThat(m.getTime()).isEqualTo(20);
            assertThat(m.getTopics()).containsExactly("x", "y", "a", "b", "c");
            assertThat(m.getWeights()).containsExactly(0.8, 0.6, 0.05, 0.04, 0.03);
            assertThat(m.getItems()).containsExactly("i12", "i11", "i10", "i9", "i8", "i7", "i6", "i5", "i4", "i3");
        });
        assertThat(h.getBuckets()).containsExactlyElementsOf(keys);
        // band b's key carries b in its high 32 bits
        for (int b = 0; b < Neighbourhoods.BANDS; b++) {
            assertThat(keys.get(b) >>> 32).isEqualTo(b);
        }
    }

    /** x and its opposite, -x, agree on no hyperplane bit: the second vector leaves every bucket of the first. */
    @Test
    void aNewVectorLeavesTheBucketsItIsNoLongerIn() {
        RecsHistory h = UserHistory.empty();
        engine.apply(h, "u", 10, List.of(interests(10, List.of("x"), List.of(1.0))), out);
        toBuckets.clear();
        engine.apply(h, "u", 20, List.of(interests(20, List.of("x"), List.of(-1.0))), out);
        List<Long> first = keys(Map.of("x", 1.0));
        List<Long> second = keys(Map.of("x", -1.0));
        assertThat(second).doesNotContainAnyElementsOf(first);
        assertThat(toBuckets.subList(0, 4))
                .allSatisfy(m -> assertThat(m.getKind()).isEqualTo(NeighbourhoodKind.LEAVE));
        assertThat(toBuckets.subList(0, 4))
                .extracting(NeighbourhoodMessage::getBucket)
                .containsExactlyElementsOf(first);
        assertThat(toBuckets.subList(4, 8))
                .extracting(NeighbourhoodMessage::getBucket)
                .containsExactlyElementsOf(second);

        // the same vector again within 10 min: nothing; 10 min after the last join: joined again, none left
        toBuckets.clear();
        engine.apply(h, "u", 30, List.of(interests(30, List.of("x"), List.of(-1.0))), out);
        assertThat(toBuckets).isEmpty();
        long rejoin = 20 + RecsSettings.REJOIN_MS;
        engine.apply(h, "u", rejoin - 1, List.of(interests(rejoin - 1, List.of("x"), List.of(-1.0))), out);
        assertThat(toBuckets).isEmpty();
        engine.apply(h, "u", rejoin, List.of(interests(rejoin, List.of("x"), List.of(-1.0))), out);
        assertThat(toBuckets).hasSize(Neighbourhoods.BANDS);
        assertThat(toBuckets).extracting(NeighbourhoodMessage::getKind).containsOnly(NeighbourhoodKind.JOIN);
        assertThat(h.getJoinedAt()).isEqualTo(rejoin);
    }

    @Test
    void anErasureLeavesEveryBucket() {
        RecsHistory h = UserHistory.empty();
        engine.apply(h, "u", 10, List.of(interests(10, List.of("x"), List.of(1.0))), out);
        toBuckets.clear();
        RecsHistory erased = UserHistory.erase(h, "u", 15, out);
        assertThat(toBuckets).hasSize(Neighbourhoods.BANDS);
        assertThat(toBuckets).allSatisfy(m -> {
            assertThat(m.getKind()).isEqualTo(NeighbourhoodKind.LEAVE);
            assertThat(m.getTime()).isEqualTo(15);
        });
        assertThat(toBuckets)
                .extracting(NeighbourhoodMessage::getBucket)
                .containsExactlyElementsOf(keys(Map.of("x", 1.0)));
        assertThat(erased.getBuckets()).isEmpty();
    }

    /** A vector without weight has no direction: it joins nothing and the ranking drops its candidates at once. */
    @Test
    void aVectorWithoutDirectionClearsTheCandidates() {
        RecsHistory h = UserHistory.empty();
        engine.apply(h, "u", 10, List.of(interests(10, List.of("x"), List.of(1.0))), out);
        toBuckets.clear();
        engine.apply(h, "u", 20, List.of(interests(20, List.of(), List.of())), out);
        assertThat(toBuckets).extracting(NeighbourhoodMessage::getKind).containsOnly(NeighbourhoodKind.LEAVE);
        assertThat(toRanking).singleElement().satisfies(m -> {
            assertThat(m.getKind()).isEqualTo(RankMessageKind.SIMILAR);
            assertThat(m.getTime()).isEqualTo(20);
            assertThat(m.getItems()).isEmpty();
        });
        assertThat(h.getBuckets()).isEmpty();
    }

    /** Without similar users (the default history) INTERESTS signals change nothing. */
    @Test
    void withoutSimilarUsersInterestsAreIgnored() {
        RecsHistory h = UserHistory.empty();
        new UserHistory(SETTINGS).apply(h, "u", 10, List.of(interests(10, List.of("x"), List.of(1.0))), out);
        assertThat(toBuckets).isEmpty();
        assertThat(h.getBuckets()).isEmpty();
    }
}
