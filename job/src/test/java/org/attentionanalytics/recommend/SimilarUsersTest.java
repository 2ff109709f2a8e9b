package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link SimilarUsers}: exact cosine, the hyperplane bits, and the neighbours LSH finds against exact search. */
class SimilarUsersTest {
    static final long SEED = 20_261_207L;

    @Test
    void cosineOfSparseVectors() {
        // (3, 4) . (4, 3) = 24, both norms 5: 24 / 25
        assertThat(SimilarUsers.cosine(Map.of("x", 3.0, "y", 4.0), Map.of("x", 4.0, "y", 3.0)))
                .isCloseTo(0.96, within(1e-12));
        // only "x" shared: 2 x 1 / (sqrt(4 + 9) x 1)
        assertThat(SimilarUsers.cosine(Map.of("x", 2.0, "z", 3.0), Map.of("x", 1.0)))
                .isCloseTo(2 / Math.sqrt(13), within(1e-12));
        assertThat(SimilarUsers.cosine(Map.of("x", 1.0), Map.of("y", 1.0))).isZero();
        assertThat(SimilarUsers.cosine(Map.of(), Map.of("y", 1.0))).isZero();
    }

    @Test
    void aVectorAndItsMultipleShareEveryBucketItsOppositeNone() {
        SimilarUsers lsh = new SimilarUsers(6, 12, SEED);
        Map<String, Double> a = Map.of("news", 0.5, "sport", 0.3, "music", 0.2);
        long[] keys = lsh.buckets(a);
        assertThat(keys).hasSize(6);
        for (int b = 0; b < 6; b++) {
            assertThat(keys[b] >>> 32).as("band in the high bits").isEqualTo(b);
            assertThat(keys[b] & 0xFFFFFFFFL).isLessThan(1L << 12);
        }
        // the side of a hyperplane does not change with the length: same buckets, the same after a restart
        assertThat(lsh.buckets(Map.of("news", 5.0, "sport", 3.0, "music", 2.0))).isEqualTo(keys);
        assertThat(new SimilarUsers(6, 12, SEED).buckets(a)).isEqualTo(keys);
        // the opposite vector is on the other side of every hyperplane: every bit flips
        long[] opposite = lsh.buckets(Map.of("news", -0.5, "sport", -0.3, "music", -0.2));
        for (int b = 0; b < 6; b++) {
            assertThat(opposite[b] ^ keys[b]).isEqualTo((1L << 12) - 1);
        }
        assertThat(new SimilarUsers(6, 12, SEED + 1).buckets(a))
                .as("another seed, other planes")
                .isNotEqualTo(keys);
    }

    @Test
    void aVectorWithoutWeightHasNoBucket() {
        SimilarUsers lsh = new SimilarUsers(4, 8, SEED);
        assertThat(lsh.buckets(Map.of())).isEmpty();
        assertThat(lsh.buckets(Map.of("news", 0.0))).isEmpty();
    }

    @Test
    void bitsAgreeWithProbabilityOneMinusTheAngleOverPi() {
        // 64 bands x 16 bits = 1,024 hyperplanes. a = (1, 0) and b = (1/2, sqrt(3)/2) are at 60 degrees:
        // a bit agrees with probability 1 - (pi/3)/pi = 2/3; over 1,024 planes the standard deviation
        // of the share is sqrt(2/9 / 1024) = 0.015, so 0.05 is more than three of them.
        SimilarUsers lsh = new SimilarUsers(64, 16, SEED);
        long[] a = lsh.buckets(Map.of("x", 1.0));
        long[] b = lsh.buckets(Map.of("x", 0.5, "y", Math.sqrt(3) / 2));
        int agree = 0;
        for (int i = 0; i < a.length; i++) {
            agree += 16 - Long.bitCount((a[i] ^ b[i]) & 0xFFFF);
        }
        assertThat(agree / 1024.0).isCloseTo(2.0 / 3, within(0.05));
    }

    @Test
    void refusesBandsItCannotKey() {
        assertThatThrownBy(() -> new SimilarUsers(0, 8, SEED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SimilarUsers(4, 32, SEED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestRanksByExactCosineAboveTheFloor() {
        Map<String, Double> u = Map.of("x", 1.0);
        Map<String, Map<String, Double>> candidates = new LinkedHashMap<>();
        candidates.put("far", Map.of("y", 1.0)); // cosine 0: never a neighbour
        candidates.put("mid", Map.of("x", 1.0, "y", 1.0)); // 1/sqrt(2) = 0.707
        candidates.put("b-same", Map.of("x", 2.0)); // 1
        candidates.put("a-same", Map.of("x", 3.0)); // 1, before b-same by id
        candidates.put("low", Map.of("x", 1.0, "y", 3.0)); // 1/sqrt(10) = 0.316
        assertThat(SimilarUsers.nearest(u, candidates, 3, 0.0))
                .extracting(SimilarUsers.Neighbour::user)
                .containsExactly("a-same", "b-same", "mid");
        assertThat(SimilarUsers.nearest(u, candidates, 10, 0.5))
                .extracting(SimilarUsers.Neighbour::user)
                .containsExactly("a-same", "b-same", "mid");
    }

    /**
     * 600 users in 12 taste groups over 40 topics (a group's 4 to 6 topics with random weights, plus
     * noise on 3 random topics): each user's 5 nearest by LSH candidates against the 5 nearest by
     * exact cosine over all users.
     */
    @Test
    void findsMostTrueNeighboursAmongAFractionOfThePopulation() {
        Random rnd = new Random(7);
        List<Map<String, Double>> groups = new ArrayList<>();
        for (int g = 0; g < 12; g++) {
            Map<String, Double> center = new HashMap<>();
            int n = 4 + rnd.nextInt(3);
            while (center.size() < n) {
                center.put("t" + rnd.nextInt(40), 0.2 + rnd.nextDouble());
            }
            groups.add(center);
        }
        Map<String, Map<String, Double>> users = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) {
            Map<String, Double> v = new HashMap<>();
            groups.get(i % 12).forEach((t, w) -> v.put(t, w * (0.7 + 0.6 * rnd.nextDouble())));
            for (int k = 0; k < 3; k++) {
                v.merge("t" + rnd.nextInt(40), 0.3 * rnd.nextDouble(), Double::sum);
            }
            users.put("u" + i, v);
        }
        SimilarUsers lsh = new SimilarUsers(8, 10, SEED);
        Map<Long, List<String>> buckets = new HashMap<>();
        users.forEach((u, v) -> {
            for (long key : lsh.buckets(v)) {
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(u);
            }
        });
        double recall = 0;
        long candidatesSeen = 0;
        for (Map.Entry<String, Map<String, Double>> e : users.entrySet()) {
            Map<String, Map<String, Double>> others = new HashMap<>(users);
            others.remove(e.getKey());
            Set<String> exact = names(SimilarUsers.nearest(e.getValue(), others, 5, 0));
            Map<String, Map<String, Double>> candidates = new HashMap<>();
            for (long key : lsh.buckets(e.getValue())) {
                for (String c : buckets.get(key)) {
                    if (!c.equals(e.getKey())) {
                        candidates.put(c, users.get(c));
                    }
                }
            }
            candidatesSeen += candidates.size();
            Set<String> found = names(SimilarUsers.nearest(e.getValue(), candidates, 5, 0));
            found.retainAll(exact);
            recall += found.size() / 5.0;
        }
        recall /= users.size();
        double share = candidatesSeen / (double) users.size() / (users.size() - 1);
        System.out.printf(
                "LSH 8 bands x 10 bits, 600 users: recall of the 5 true nearest %.3f, candidates %.1f %% of the population%n",
                recall, 100 * share);
        assertThat(recall).isGreaterThanOrEqualTo(0.9);
        assertThat(share).isLessThan(0.25);
    }

    private static Set<String> names(List<SimilarUsers.Neighbour> ns) {
        Set<String> s = new HashSet<>();
        ns.forEach(n -> s.add(n.user()));
        return s;
    }
}
