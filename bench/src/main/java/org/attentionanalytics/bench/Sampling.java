package org.attentionanalytics.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The random distributions behind {@link EventGenerator}: Zipf CDFs and inverse-CDF sampling, the
 * capped-Zipf sessions per user, and standard normal draws (for the log-normal read and think
 * times). Each method consumes exactly the draws it did inline, so plans stay byte-identical.
 */
final class Sampling {
    private Sampling() {}

    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.pow(i + 1, -s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    static int sample(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    /**
     * Sessions per user: 1 each, plus the extra sessions by capped Zipf (the scale found by
     * bisection so that the expected total matches).
     */
    static double[] sessionsPerUser(int users, double totalSessions) {
        double extra = Math.max(0, totalSessions - users);
        double lo = 0;
        double hi = extra * 10 + 1;
        for (int it = 0; it < 100; it++) {
            double c = (lo + hi) / 2;
            double sum = 0;
            for (int r = 1; r <= users; r++) {
                sum += Math.min(c * Math.pow(r, -EventGenerator.ZIPF_S), EventGenerator.MAX_SESSIONS_PER_USER - 1);
            }
            if (sum < extra) {
                lo = c;
            } else {
                hi = c;
            }
        }
        double[] out = new double[users + 1];
        for (int r = 1; r <= users; r++) {
            out[r] = 1 + Math.min(lo * Math.pow(r, -EventGenerator.ZIPF_S), EventGenerator.MAX_SESSIONS_PER_USER - 1);
        }
        return out;
    }

    static double gaussian(SplittableRandom r) {
        // Box-Muller (SplittableRandom has no nextGaussian in Java 17)
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
