package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counted heartbeat buckets of a view as ranges ({@link HeartbeatBuckets}). */
class HeartbeatBucketsTest {
    @Test
    void consecutiveBucketsAreOneRangeAndARepeatIsNotNew() {
        List<Long> r = new ArrayList<>();
        assertThat(HeartbeatBuckets.add(r, 7)).isTrue();
        assertThat(HeartbeatBuckets.add(r, 8)).isTrue();
        assertThat(HeartbeatBuckets.add(r, 8)).isFalse();
        assertThat(HeartbeatBuckets.add(r, 6)).isTrue();
        assertThat(r).containsExactly(6L, 8L);
        assertThat(HeartbeatBuckets.count(r)).isEqualTo(3);
    }

    @Test
    void aBucketThatFillsAGapJoinsTwoRanges() {
        List<Long> r = new ArrayList<>();
        for (long b : new long[] {10, 11, 14, 13, 20}) {
            HeartbeatBuckets.add(r, b);
        }
        assertThat(r).containsExactly(10L, 11L, 13L, 14L, 20L, 20L);
        assertThat(HeartbeatBuckets.add(r, 12)).isTrue();
        assertThat(r).containsExactly(10L, 14L, 20L, 20L);
        assertThat(HeartbeatBuckets.count(r)).isEqualTo(6);
    }

    @Test
    void theCountDoesNotDependOnArrivalOrder() {
        List<Long> forward = new ArrayList<>();
        List<Long> backward = new ArrayList<>();
        long[] buckets = {3, 4, 5, 9, 10, 12};
        for (int i = 0; i < buckets.length; i++) {
            HeartbeatBuckets.add(forward, buckets[i]);
            HeartbeatBuckets.add(backward, buckets[buckets.length - 1 - i]);
        }
        assertThat(forward).isEqualTo(backward).containsExactly(3L, 5L, 9L, 10L, 12L, 12L);
        // 6 buckets with min-visit 5 s and heartbeat 10 s: 5 + 5 x 10 = 55 s
        assertThat(HeartbeatBuckets.engagedMs(HeartbeatBuckets.count(forward), 10_000, 5_000))
                .isEqualTo(55_000);
        assertThat(HeartbeatBuckets.engagedMs(0, 10_000, 5_000)).isZero();
    }

    @Test
    void bucketsBeforeTheEpochFloor() {
        assertThat(HeartbeatBuckets.bucket(-1, 10_000)).isEqualTo(-1);
        assertThat(HeartbeatBuckets.bucket(9_999, 10_000)).isZero();
    }
}
