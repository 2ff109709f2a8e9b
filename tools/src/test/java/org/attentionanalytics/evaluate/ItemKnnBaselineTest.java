package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Item-kNN on three sessions, cosines by hand: S1 = {a, b, c}, S2 = {a, b, d}, S3 = {b, c}, so
 * |S_a| = 2, |S_b| = 3, |S_c| = 2, |S_d| = 1.
 */
class ItemKnnBaselineTest {
    private static ItemKnnBaseline threeSessions() {
        ItemKnnBaseline knn = new ItemKnnBaseline();
        knn.add("S1", "a");
        knn.add("S1", "b");
        knn.add("S1", "c");
        knn.add("S2", "a");
        knn.add("S2", "b");
        knn.add("S2", "d");
        knn.add("S3", "b");
        knn.add("S3", "c");
        knn.add("S1", "a"); // again in S1: the sets do not change
        return knn;
    }

    @Test
    void neighboursAreRankedByCosineOfSessionSets() {
        ItemKnnBaseline knn = threeSessions();
        // a: b 2/sqrt(2*3) = 0.816, d 1/sqrt(2*1) = 0.707, c 1/sqrt(2*2) = 0.5
        assertThat(knn.neighbours("a", 20)).containsExactly("b", "d", "c");
        // c: b 2/sqrt(2*3) = 0.816, a 1/sqrt(2*2) = 0.5; d never shared a session with c
        assertThat(knn.neighbours("c", 20)).containsExactly("b", "a");
        // d: a 1/sqrt(1*2) = 0.707, b 1/sqrt(1*3) = 0.577
        assertThat(knn.neighbours("d", 20)).containsExactly("a", "b");
    }

    @Test
    void equalCosinesTieByItemIdAndTheListIsCut() {
        ItemKnnBaseline knn = threeSessions();
        // b: a 2/sqrt(3*2) and c 2/sqrt(3*2) tie (a first), d 1/sqrt(3*1) = 0.577
        assertThat(knn.neighbours("b", 20)).containsExactly("a", "c", "d");
        assertThat(knn.neighbours("b", 2)).containsExactly("a", "c");
    }

    @Test
    void anItemNeverSeenWithAnotherHasNoNeighbours() {
        ItemKnnBaseline knn = threeSessions();
        knn.add("S4", "e");
        assertThat(knn.neighbours("e", 20)).isEmpty();
        assertThat(knn.neighbours("unknown", 20)).isEmpty();
    }

    @Test
    void exactComparisonTiesCosinesThatDoublesMightNot() {
        ItemKnnBaseline knn = new ItemKnnBaseline();
        knn.add("A", "p");
        knn.add("A", "n");
        knn.add("B", "p");
        knn.add("B", "m");
        knn.add("C", "m");
        knn.add("D", "m");
        knn.add("E", "m");
        knn.add("E", "p");
        // |S_p| = 3 (A, B, E), |S_n| = 1, |S_m| = 4 (B, C, D, E); p-n 1/sqrt(3), p-m 2/sqrt(12) = 1/sqrt(3)
        assertThat(knn.neighbours("p", 20)).containsExactly("m", "n");
    }
}
