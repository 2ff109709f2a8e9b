package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.common.Hashes;

/**
 * Finds users with similar interest vectors without comparing all pairs: random-hyperplane
 * locality-sensitive hashing (Charikar, "Similarity estimation techniques from rounding
 * algorithms", STOC 2002). Each hyperplane through the origin gives one bit, the side of it a
 * vector lies on; two vectors at angle θ agree on a bit with probability {@code 1 - θ/π}. The bits
 * form {@code bands} bands of {@code rowsPerBand} bits each; users whose bits agree on a whole band
 * share that band's bucket and become candidate neighbours (banding: Leskovec, Rajaraman and
 * Ullman, <i>Mining of Massive Datasets</i>, section 3.4). A pair at cosine s shares at least one
 * bucket with probability {@code 1 - (1 - p^r)^b}, {@code p = 1 - acos(s)/π}. Candidates are then
 * ranked by their exact cosine ({@link #cosine}).
 *
 * <p>A hyperplane has one standard normal component per topic, drawn from a hash of the seed, the
 * plane and the topic, so any topic vocabulary works and a vector's buckets are the same after a
 * restart. Vectors are sparse maps topic → weight (any scale: only directions matter).
 */
public final class SimilarUsers {
    private final int bands;
    private final int rowsPerBand;
    private final long seed;
    private final Map<String, double[]> components = new HashMap<>();

    /**
     * @param bands buckets per user (more: higher recall, more candidates)
     * @param rowsPerBand bits per bucket, 1 to 31 (more: fewer and closer candidates)
     * @param seed the hyperplanes' seed; every operator that compares buckets must use the same one
     * @throws IllegalArgumentException for bands below 1 or rowsPerBand outside 1 to 31
     */
    public SimilarUsers(int bands, int rowsPerBand, long seed) {
        if (bands < 1 || rowsPerBand < 1 || rowsPerBand > 31) {
            throw new IllegalArgumentException(
                    "bands must be at least 1 and rows per band 1 to 31, got " + bands + " and " + rowsPerBand);
        }
        this.bands = bands;
        this.rowsPerBand = rowsPerBand;
        this.seed = seed;
    }

    /**
     * @return one bucket key per band, {@code band << 32 | bits}, so equal keys mean the same band
     *     agreed; empty for a vector without a positive or negative weight (no direction, no neighbours)
     */
    public long[] buckets(Map<String, Double> vector) {
        int planes = bands * rowsPerBand;
        double[] dots = new double[planes];
        boolean any = false;
        for (Map.Entry<String, Double> e : vector.entrySet()) {
            double w = e.getValue();
            if (w == 0 || !Double.isFinite(w)) {
                continue;
            }
            any = true;
            double[] c = components(e.getKey(), planes);
            for (int p = 0; p < planes; p++) {
                dots[p] += w * c[p];
            }
        }
        if (!any) {
            return new long[0];
        }
        long[] keys = new long[bands];
        for (int b = 0; b < bands; b++) {
            long bits = 0;
            for (int r = 0; r < rowsPerBand; r++) {
                if (dots[b * rowsPerBand + r] >= 0) {
                    bits |= 1L << r;
                }
            }
            keys[b] = ((long) b << 32) | bits;
        }
        return keys;
    }

    /** @return the hyperplanes' components for {@code topic}, one per plane (cached) */
    private double[] components(String topic, int planes) {
        return components.computeIfAbsent(topic, t -> {
            long h = Hashes.fnv64(t) ^ seed;
            double[] c = new double[planes];
            for (int p = 0; p < planes; p++) {
                c[p] = standardNormal(
                        mix(h + 0x9E3779B97F4A7C15L * (2L * p + 1)), mix(h + 0x9E3779B97F4A7C15L * (2L * p + 2)));
            }
            return c;
        });
    }

    /** Box-Muller: a standard normal value from two independent 64-bit hashes. */
    private static double standardNormal(long a, long b) {
        double u1 = ((a >>> 11) + 1) * 0x1.0p-53; // (0, 1]
        double u2 = (b >>> 11) * 0x1.0p-53; // [0, 1)
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** SplitMix64's finalizer (Steele, Lea and Flood, OOPSLA 2014): spreads a counter's bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param keys the vector's topics (or items)
     * @param weights their weights, parallel to {@code keys} (pairs up to the shorter list)
     * @return the sparse vector key → weight
     */
    public static Map<String, Double> vector(List<String> keys, List<Double> weights) {
        Map<String, Double> v = new HashMap<>();
        for (int i = 0; i < keys.size() && i < weights.size(); i++) {
            v.put(keys.get(i), weights.get(i));
        }
        return v;
    }

    /** @return the cosine similarity of two sparse vectors, 0 when either has no weight */
    public static double cosine(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> small = a.size() <= b.size() ? a : b;
        Map<String, Double> large = small == a ? b : a;
        double dot = 0;
        for (Map.Entry<String, Double> e : small.entrySet()) {
            Double w = large.get(e.getKey());
            if (w != null) {
                dot += e.getValue() * w;
            }
        }
        double na = norm(a);
        double nb = norm(b);
        return na == 0 || nb == 0 ? 0 : dot / (na * nb);
    }

    /** @return the Euclidean norm of a sparse vector */
    static double norm(Map<String, Double> v) {
        double s = 0;
        for (double w : v.values()) {
            s += w * w;
        }
        return Math.sqrt(s);
    }

    /** A neighbour and its cosine similarity to the user. */
    public record Neighbour(String user, double similarity) {}

    /**
     * @param candidates the users sharing a bucket with {@code vector}, with their vectors (the user
     *     itself must not be among them)
     * @return at most {@code k} of them by descending exact cosine (ties by user), each at least
     *     {@code minSimilarity}
     */
    public static List<Neighbour> nearest(
            Map<String, Double> vector, Map<String, Map<String, Double>> candidates, int k, double minSimilarity) {
        List<String> users = new ArrayList<>();
        List<Double> similarities = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> c : candidates.entrySet()) {
            double s = cosine(vector, c.getValue());
            if (s >= minSimilarity && s > 0) {
                users.add(c.getKey());
                similarities.add(s);
            }
        }
        List<Neighbour> out = new ArrayList<>();
        for (int i : TopItems.top(users, similarities::get, k)) {
            out.add(new Neighbour(users.get(i), similarities.get(i)));
        }
        return out;
    }
}
