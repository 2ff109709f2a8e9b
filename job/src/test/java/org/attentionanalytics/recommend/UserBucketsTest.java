package org.attentionanalytics.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.internal.BucketMembers;
import org.attentionanalytics.avro.internal.NeighbourhoodKind;
import org.attentionanalytics.avro.internal.NeighbourhoodMessage;
import org.attentionanalytics.avro.internal.RankMessage;
import org.attentionanalytics.avro.internal.RankMessageKind;
import org.junit.jupiter.api.Test;

/**
 * {@link UserBuckets}: one bucket, minimum support 2. Members (vector; recent items): a (x; i1, i4),
 * b (x + y; i1, i3), c (y; i1, i3), d (x; i4). User u joins with x and its own item i2.
 *
 * <p>Cosines to u: a 1, d 1, b 1/√2, c 0 (not a neighbour). Items, each view weighing 1: i1 from a
 * and b, 1 + 0.7071 = 1.7071 (support 2); i4 from a and d, 2 (support 2); i3 from b alone (support
 * 1: never proposed, it would reveal b's view); i2 is u's own. The answer: i4 2, i1 1.7071.
 */
class UserBucketsTest {
    static final long T = 1_000_000;

    static NeighbourhoodMessage join(String user, long t, List<String> topics, List<String> items) {
        List<Double> weights = new ArrayList<>();
        topics.forEach(x -> weights.add(1.0));
        return NeighbourhoodMessage.newBuilder()
                .setBucket(7)
                .setUser(user)
                .setKind(NeighbourhoodKind.JOIN)
                .setTime(t)
                .setTopics(new ArrayList<>(topics))
                .setWeights(weights)
                .setItems(new ArrayList<>(items))
                .build();
    }

    static NeighbourhoodMessage leave(String user, long t) {
        return NeighbourhoodMessage.newBuilder()
                .setBucket(7)
                .setUser(user)
                .setKind(NeighbourhoodKind.LEAVE)
                .setTime(t)
                .build();
    }

    static BucketMembers fourMembers(UserBuckets engine) {
        BucketMembers b = BucketMembers.newBuilder().build();
        engine.apply(
                b,
                List.of(
                        join("a", T - 10, List.of("x"), List.of("i1", "i4")),
                        join("b", T - 10, List.of("x", "y"), List.of("i1", "i3")),
                        join("c", T - 10, List.of("y"), List.of("i1", "i3")),
                        join("d", T - 10, List.of("x"), List.of("i4"))),
                T - 10);
        return b;
    }

    @Test
    void anItemNeedsTheMinimumSupportOfSimilarUsers() {
        UserBuckets engine = new UserBuckets(2, 10, 0);
        BucketMembers b = fourMembers(engine);
        List<RankMessage> answers = engine.apply(b, List.of(join("u", T, List.of("x"), List.of("i2"))), T);
        assertThat(answers).hasSize(1);
        RankMessage a = answers.get(0);
        assertThat(a.getUser()).isEqualTo("u");
        assertThat(a.getKind()).isEqualTo(RankMessageKind.SIMILAR);
        assertThat(a.getTime()).isEqualTo(T);
        assertThat(a.getItems()).containsExactly("i4", "i1");
        assertThat(a.getScores().get(0)).isCloseTo(2.0, within(1e-12));
        assertThat(a.getScores().get(1)).isCloseTo(1 + Math.sqrt(0.5), within(1e-12));
        assertThat(b.getMembers()).extracting(NeighbourhoodMessage::getUser).containsExactly("a", "b", "c", "d", "u");

        // support 3: i1 and i4 have 2 each, so nothing is proposed
        UserBuckets strict = new UserBuckets(3, 10, 0);
        BucketMembers again = fourMembers(strict);
        assertThat(strict.apply(again, List.of(join("u", T, List.of("x"), List.of("i2"))), T)
                        .get(0)
                        .getItems())
                .isEmpty();
    }

    /** d leaves (an erasure) at u's time: leaves go first, so i4 is left with a alone and drops out. */
    @Test
    void aLeaveTakesTheMemberAndItsSupportAway() {
        UserBuckets engine = new UserBuckets(2, 10, 0);
        BucketMembers b = fourMembers(engine);
        List<RankMessage> answers =
                engine.apply(b, List.of(leave("d", T), join("u", T, List.of("x"), List.of("i2"))), T);
        assertThat(answers.get(0).getItems()).containsExactly("i1");
        assertThat(b.getMembers()).extracting(NeighbourhoodMessage::getUser).containsExactly("a", "b", "c", "u");
    }

    /** Retention 10 ms: the members of T - 10 are gone at T (kept while newer than t - retention). */
    @Test
    void membersOlderThanTheRetentionAreDropped() {
        UserBuckets engine = new UserBuckets(2, 10, 10);
        BucketMembers b = fourMembers(engine);
        assertThat(engine.apply(b, List.of(join("u", T, List.of("x"), List.of("i2"))), T)
                        .get(0)
                        .getItems())
                .isEmpty();
        assertThat(b.getMembers()).extracting(NeighbourhoodMessage::getUser).containsExactly("u");
    }

    /** 51 members joining at 1 to 51 ms: the one of 1 ms is dropped; a new JOIN replaces a member's old one. */
    @Test
    void aBucketKeepsItsLatestMembers() {
        UserBuckets engine = new UserBuckets(2, 10, 0);
        BucketMembers b = BucketMembers.newBuilder().build();
        for (int i = 1; i <= RecsSettings.BUCKET_MEMBERS + 1; i++) {
            engine.apply(b, List.of(join(String.format("m%03d", i), i, List.of("x"), List.of())), i);
        }
        assertThat(b.getMembers()).hasSize(RecsSettings.BUCKET_MEMBERS);
        assertThat(b.getMembers().get(0).getUser()).isEqualTo("m002");
        engine.apply(b, List.of(join("m002", 200, List.of("y"), List.of("z"))), 200);
        assertThat(b.getMembers()).hasSize(RecsSettings.BUCKET_MEMBERS);
        assertThat(b.getMembers().get(0).getTopics()).containsExactly("y");
    }

    /** Two users joining at one time see each other: the answers come after all joins of the time. */
    @Test
    void joinsOfOneTimeAreAnsweredTogether() {
        UserBuckets engine = new UserBuckets(1, 10, 0);
        BucketMembers b = BucketMembers.newBuilder().build();
        List<RankMessage> answers = engine.apply(
                b, List.of(join("p", T, List.of("x"), List.of("ip")), join("q", T, List.of("x"), List.of("iq"))), T);
        assertThat(answers).extracting(RankMessage::getUser).containsExactly("p", "q");
        assertThat(answers.get(0).getItems()).containsExactly("iq");
        assertThat(answers.get(1).getItems()).containsExactly("ip");
    }
}
