package org.attentionanalytics.session;

import java.util.List;

/**
 * The heartbeat buckets of one view that counted (DESIGN.md section 2), kept as sorted, disjoint,
 * non-adjacent inclusive ranges {@code [from, to, from, to, ...]}: a view read without pause is one
 * range, whatever its length. A bucket is {@code floor(event time / heartbeat)}; a view's engaged
 * time from heartbeats is {@code min-visit} for its first bucket and {@code heartbeat} for each
 * other ({@link #engagedMs}), as Snowplow's dbt web model counts page pings
 * ({@code engaged_time_in_s}). The count, and so the engaged time, does not depend on the order in
 * which the pings arrive.
 */
final class HeartbeatBuckets {
    private HeartbeatBuckets() {}

    /** @return the bucket of event time {@code t} (ms): {@code floor(t / heartbeatMs)} */
    static long bucket(long t, long heartbeatMs) {
        return Math.floorDiv(t, heartbeatMs);
    }

    /** @return the number of buckets in {@code ranges} */
    static long count(List<Long> ranges) {
        long n = 0;
        for (int i = 0; i < ranges.size(); i += 2) {
            n += ranges.get(i + 1) - ranges.get(i) + 1;
        }
        return n;
    }

    /** @return engaged ms of {@code buckets} counted buckets: 0, else min-visit plus a heartbeat per further bucket */
    static long engagedMs(long buckets, long heartbeatMs, long minVisitMs) {
        return buckets == 0 ? 0 : minVisitMs + (buckets - 1) * heartbeatMs;
    }

    /**
     * Adds {@code bucket} to {@code ranges} in place.
     *
     * @return false when it was there already (a second ping in a bucket adds nothing)
     */
    static boolean add(List<Long> ranges, long bucket) {
        int i = 0;
        while (i < ranges.size() && ranges.get(i + 1) < bucket - 1) {
            i += 2; // ranges that end before the bucket and do not touch it
        }
        if (i == ranges.size() || ranges.get(i) > bucket + 1) {
            ranges.add(i, bucket);
            ranges.add(i + 1, bucket);
            return true;
        }
        long from = ranges.get(i);
        long to = ranges.get(i + 1);
        if (from <= bucket && bucket <= to) {
            return false;
        }
        if (bucket == from - 1) {
            ranges.set(i, bucket);
        } else { // bucket == to + 1: may now touch the next range
            ranges.set(i + 1, bucket);
            if (i + 2 < ranges.size() && ranges.get(i + 2) == bucket + 1) {
                ranges.set(i + 1, ranges.get(i + 3));
                ranges.remove(i + 3);
                ranges.remove(i + 2);
            }
        }
        return true;
    }

    /** Adds every bucket of {@code other} to {@code ranges}. */
    static void addAll(List<Long> ranges, List<Long> other) {
        for (int i = 0; i < other.size(); i += 2) {
            for (long b = other.get(i); b <= other.get(i + 1); b++) {
                add(ranges, b);
            }
        }
    }
}
