package org.attentionanalytics.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link DiscreteLaplaceTest} leaves out: the whole distribution (chi-square goodness of fit),
 * symmetry value by value, the variances of the two topic-trend mechanisms against hand-computed
 * numbers, and the privacy property itself: the output distributions for neighbouring counts differ
 * by at most the factor {@code exp(epsilon / sensitivity)}, also after the suppression rule. Fixed
 * seeds: deterministic; the thresholds are about 4.5 standard errors (or a chi-square quantile of
 * 1 - 1e-4), so a correct sampler passes for almost every seed.
 */
class DiscreteLaplaceDistributionTest {
    private static final int N = 200_000;

    @Test
    void theTwoTopicTrendMechanismsHaveTheStatedVariances() {
        // 2 a / (1 - a)^2 with a = exp(-1/b), b = sensitivity / (epsilon / 2), hand-computed
        DiscreteLaplace users = TopicTrendNoise.userCounts(1.0, new SplittableRandom(1));
        DiscreteLaplace minutes = TopicTrendNoise.engagedMinutes(1.0, new SplittableRandom(2));
        assertThat(users.variance()).isCloseTo(199.8334, within(1e-3)); // b = 10: sd 14.1
        assertThat(minutes.variance()).isCloseTo(28_799.83, within(1e-1)); // b = 120: sd 169.7
        assertThat(users.alpha()).isCloseTo(Math.exp(-0.1), within(1e-15));
        assertThat(minutes.alpha()).isCloseTo(Math.exp(-1.0 / 120), within(1e-15));
    }

    @ParameterizedTest(name = "epsilon={0}, sensitivity={1}")
    @CsvSource({"0.5, 5, 101", "0.5, 60, 102", "2.0, 1, 103"})
    void chiSquareGoodnessOfFitAndSymmetryValueByValue(double epsilon, long sensitivity, long seed) {
        DiscreteLaplace m = new DiscreteLaplace(epsilon, sensitivity, new SplittableRandom(seed));
        double a = Math.exp(-epsilon / sensitivity);
        double p0 = (1 - a) / (1 + a);
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < N; i++) {
            counts.merge(m.sample(), 1, Integer::sum);
        }
        // bins: every z with |z| <= K, where K is the last k with an expected count >= 10, and the two tails
        int k = 0;
        while (N * p0 * Math.pow(a, k + 1) >= 10) {
            k++;
        }
        double chi = 0;
        int bins = 0;
        for (long z = -k; z <= k; z++) {
            double expected = N * p0 * Math.pow(a, Math.abs(z));
            double d = counts.getOrDefault(z, 0) - expected;
            chi += d * d / expected;
            bins++;
        }
        double tail = N * Math.pow(a, k + 1) / (1 + a); // P(Z > K) = P(Z < -K) = a^(K+1) / (1 + a)
        final long last = k;
        long above = counts.entrySet().stream()
                .filter(e -> e.getKey() > last)
                .mapToLong(Map.Entry::getValue)
                .sum();
        long below = counts.entrySet().stream()
                .filter(e -> e.getKey() < -last)
                .mapToLong(Map.Entry::getValue)
                .sum();
        chi += (above - tail) * (above - tail) / tail + (below - tail) * (below - tail) / tail;
        bins += 2;
        assertThat(chi).as("chi-square over %d bins", bins).isLessThan(chiSquareQuantile(bins - 1));

        // symmetry: given n(z) + n(-z), n(z) is Binomial(., 1/2); the sum over z of the squared
        // standardized differences is chi-square with one degree of freedom per z
        double sym = 0;
        int pairs = 0;
        for (long z = 1; z <= k; z++) {
            int pos = counts.getOrDefault(z, 0);
            int neg = counts.getOrDefault(-z, 0);
            if (pos + neg > 0) {
                sym += (double) (pos - neg) * (pos - neg) / (pos + neg);
                pairs++;
            }
        }
        assertThat(sym).as("symmetry over %d pairs", pairs).isLessThan(chiSquareQuantile(pairs));
    }

    @Test
    void neighbouringCountsGiveOutputDistributionsWithinTheFactorExpEpsilonOverSensitivity() {
        // one user adds 1 to one category's user count: the users mechanism at the defaults (epsilon
        // 0.5 for the measure, sensitivity 5) must keep every output's probability ratio within
        // exp(0.5 / 5) = exp(0.1); a user in 5 categories moves 5 counts: exp(0.5) in all
        DiscreteLaplace m = TopicTrendNoise.userCounts(1.0, new SplittableRandom(7));
        Map<Long, Integer> without = new HashMap<>();
        Map<Long, Integer> with = new HashMap<>();
        for (int i = 0; i < N; i++) {
            without.merge(m.addNoise(30), 1, Integer::sum);
            with.merge(m.addNoise(31), 1, Integer::sum);
        }
        double bound = 0.1;
        for (long v = 0; v <= 60; v++) { // outputs with at least about 2,000 draws each
            int x = without.getOrDefault(v, 0);
            int y = with.getOrDefault(v, 0);
            double logRatio = Math.abs(Math.log((double) y / x));
            double se = Math.sqrt(1.0 / x + 1.0 / y);
            assertThat(logRatio)
                    .as("|log P(31 + Z = %d) / P(30 + Z = %d)|", v, v)
                    .isLessThan(bound + 4.5 * se);
        }
        // where the exact ratio is exactly exp(0.1) (all v > 30: a^(v-31) / a^(v-30) = 1/a), the
        // pooled estimate must find it, not something smaller: the noise is not wider than needed
        long xAbove = without.entrySet().stream()
                .filter(e -> e.getKey() > 30)
                .mapToLong(Map.Entry::getValue)
                .sum();
        long yAbove = with.entrySet().stream()
                .filter(e -> e.getKey() > 30)
                .mapToLong(Map.Entry::getValue)
                .sum();
        // P(30 + Z > 30) = a / (1 + a); P(31 + Z > 30) = 1 / (1 + a)
        double se = Math.sqrt(1.0 / xAbove + 1.0 / yAbove);
        assertThat(Math.log((double) yAbove / xAbove)).isCloseTo(0.1, within(4.5 * se));
    }

    @Test
    void suppressionKeepsTheRatioItIsPostProcessing() {
        // P(published | true count c) = P(c + Z >= 20) = a^(20 - c) / (1 + a) for c < 20, a = exp(-0.1):
        // for c = 0 and c = 1 (one user more) 0.0710 and 0.0785, ratio exactly exp(0.1)
        DiscreteLaplace m = TopicTrendNoise.userCounts(1.0, new SplittableRandom(8));
        int n = 400_000;
        long published0 = 0;
        long published1 = 0;
        for (int i = 0; i < n; i++) {
            if (m.addNoise(0) >= TopicTrendNoise.SUPPRESS_BELOW) {
                published0++;
            }
            if (m.addNoise(1) >= TopicTrendNoise.SUPPRESS_BELOW) {
                published1++;
            }
        }
        double p0 = 0.0710482;
        double p1 = 0.0785204;
        assertThat((double) published0 / n).isCloseTo(p0, within(4.5 * Math.sqrt(p0 * (1 - p0) / n)));
        assertThat((double) published1 / n).isCloseTo(p1, within(4.5 * Math.sqrt(p1 * (1 - p1) / n)));
        double se = Math.sqrt((1 - p0) / (n * p0) + (1 - p1) / (n * p1));
        assertThat(Math.log((double) published1 / published0)).isCloseTo(0.1, within(4.5 * se));
    }

    /**
     * Upper 1e-4 quantile of chi-square with {@code df} degrees of freedom (Wilson-Hilferty; accurate
     * to a few percent from df = 1 on, and conservative enough for a 1e-4 level).
     */
    static double chiSquareQuantile(int df) {
        double z = 3.719; // standard normal upper 1e-4 quantile
        double h = 2.0 / (9 * df);
        double q = df * Math.pow(1 - h + z * Math.sqrt(h), 3);
        return df <= 2 ? Math.max(q, df == 1 ? 15.14 : 18.42) : q; // exact values for df 1 and 2
    }
}
