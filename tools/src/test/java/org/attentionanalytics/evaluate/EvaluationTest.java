package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seven views, every figure by hand. u1 views a, b, c in session s1 (t1, t2, t3); u2 views a, b in
 * s2 (t4, t5); u1 views b, a in s3 (t6, t7). Scored: t2, t3, t5, t7 (t1, t4, t6 open sessions);
 * new to their user: t2 (b), t3 (c), t5 (b), not t7 (u1 viewed a at t1).
 */
class EvaluationTest {
    static final Instant T0 = Instant.parse("2024-01-01T10:00:00Z");

    static View view(String user, String session, int minute, String item) {
        return new View(user, session, "v" + minute, item, T0.plusSeconds(60L * minute));
    }

    static final List<View> VIEWS = List.of(
            view("u2", "s2", 5, "b"), // any order in, time order inside
            view("u1", "s1", 1, "a"),
            view("u1", "s1", 2, "b"),
            view("u1", "s1", 3, "c"),
            view("u2", "s2", 4, "a"),
            view("u1", "s3", 6, "b"),
            view("u1", "s3", 7, "a"));

    @Test
    void scoresTheJobAndBothBaselinesOnTheSameViews() {
        // the job: [c] for u1 from t2.5 on, until t6
        Evaluation.Result r = Evaluation.run(
                VIEWS,
                (user, t) -> user.equals("u1") && t.isAfter(T0.plusSeconds(150)) && t.isBefore(T0.plusSeconds(360))
                        ? List.of("c")
                        : null);
        assertThat(r.views()).isEqualTo(7);
        assertThat(r.users()).isEqualTo(2);
        assertThat(r.items()).isEqualTo(3);

        // job: t3 hit at rank 1, the rest no list. recall 1/4, MRR 1/4; new 1/3, 1/3; coverage 1/4
        assertFigures(r.job(), 0.25, 0.25, 1 / 3.0, 1 / 3.0, 0.25);

        // popularity (counts of the views before):
        //   t2 {a:1} -> [a], b misses; t3 {a:1, b:1} -> [a, b], c misses;
        //   t5 {a:2, b:1, c:1} -> [a, b, c], b at rank 2; t7 {b:3, a:2, c:1} -> [b, a, c], a at rank 2
        //   recall 2/4, MRR (1/2 + 1/2)/4 = 0.25; new (t2, t3, t5): 1/3, (1/2)/3; coverage 4/4
        assertFigures(r.popularity(), 0.5, 0.25, 1 / 3.0, 0.5 / 3, 1);

        // item-kNN of the session's previous item:
        //   t2 prev a, sessions {s1: a}: a shared no session -> no list, miss;
        //   t3 prev b, {s1: a b}: a 1/sqrt(1*1) -> [a], c misses;
        //   t5 prev a, {s1: a b c, s2: a}: b 1/sqrt(2*1), c 1/sqrt(2*1) tie -> [b, c], b at rank 1;
        //   t7 prev b, {s1: a b c, s2: a b, s3: b}: a 2/sqrt(3*2) = 0.82, c 1/sqrt(3*1) = 0.58 -> [a, c], a at 1
        //   recall 2/4, MRR (1 + 1)/4 = 0.5; new (t2, t3, t5): 1/3, 1/3; coverage 3/4
        assertFigures(r.itemKnn(), 0.5, 0.5, 1 / 3.0, 1 / 3.0, 0.75);
        assertThat(r.itemKnn().viewsScored()).isEqualTo(4);
        assertThat(r.itemKnn().newItemViewsScored()).isEqualTo(3);
    }

    static void assertFigures(
            RankingScore.Figures f, double recall, double mrr, double newRecall, double newMrr, double coverage) {
        assertThat(f.recall()).as("recall").isCloseTo(recall, within(1e-12));
        assertThat(f.mrr()).as("mrr").isCloseTo(mrr, within(1e-12));
        assertThat(f.newItemRecall()).as("new-item recall").isCloseTo(newRecall, within(1e-12));
        assertThat(f.newItemMrr()).as("new-item mrr").isCloseTo(newMrr, within(1e-12));
        assertThat(f.coverage()).as("coverage").isCloseTo(coverage, within(1e-12));
        assertThat(f.viewsScored()).isEqualTo(4);
        assertThat(f.newItemViewsScored()).isEqualTo(3);
    }
}
