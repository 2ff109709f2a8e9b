package org.attentionanalytics.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Statistical tests of {@link DiscreteLaplace} against the exact two-sided geometric distribution,
 * P(Z = z) = (1 - a) / (1 + a) * a^|z|, a = exp(-epsilon / sensitivity). Fixed seeds, so the
 * results are deterministic; tolerances are about 4 to 5 standard errors of each estimate.
 */
class DiscreteLaplaceTest {
    private static final int N = 200_000;

    @ParameterizedTest(name = "epsilon={0}, sensitivity={1}")
    @CsvSource({"0.5, 5, 11", "0.5, 60, 12", "1.0, 1, 13"})
    void matchesTheExactDistribution(double epsilon, long sensitivity, long seed) {
        DiscreteLaplace m = new DiscreteLaplace(epsilon, sensitivity, new SplittableRandom(seed));
        double a = Math.exp(-epsilon / sensitivity);
        double exactVariance = 2 * a / ((1 - a) * (1 - a));
        assertThat(m.variance()).isCloseTo(exactVariance, within(1e-9 * exactVariance));
        assertThat(m.alpha()).isCloseTo(a, within(1e-15));

        long[] z = new long[N];
        double sum = 0;
        for (int i = 0; i < N; i++) {
            z[i] = m.sample();
            sum += z[i];
        }
        double mean = sum / N;
        double ss = 0;
        for (long v : z) {
            ss += (v - mean) * (v - mean);
        }
        double sampleVariance = ss / (N - 1);

        // mean within 4 standard errors of 0
        assertThat(Math.abs(mean)).isLessThan(4 * Math.sqrt(exactVariance / N));
        // sample variance: within 5 standard errors (from the exact 4th moment), and within 3 %
        double m4 = 0;
        double p0 = (1 - a) / (1 + a);
        for (long k = 1; ; k++) {
            double term = 2 * p0 * Math.pow(a, k) * Math.pow(k, 4);
            m4 += term;
            if (term < 1e-15 * m4 && k > 10) {
                break;
            }
        }
        double seVariance = Math.sqrt((m4 - exactVariance * exactVariance) / N);
        assertThat(sampleVariance).isCloseTo(exactVariance, within(5 * seVariance));
        assertThat(sampleVariance).isCloseTo(exactVariance, within(0.03 * exactVariance));

        // pmf at 0, 1, -1
        for (long v : new long[] {0, 1, -1}) {
            double exact = p0 * Math.pow(a, Math.abs(v));
            assertProportion(count(z, x -> x == v), exact, "P(Z = " + v + ")");
        }
        // tails: k = 1, about one scale, about three scales
        double scale = sensitivity / epsilon;
        for (long k : new long[] {1, (long) Math.ceil(scale), (long) Math.ceil(3 * scale)}) {
            double exact = 2 * Math.pow(a, k) / (1 + a);
            assertProportion(count(z, x -> Math.abs(x) >= k), exact, "P(|Z| >= " + k + ")");
        }
        // symmetry: positives and negatives are Binomial(n, 1/2) given their total
        long pos = count(z, x -> x > 0);
        long neg = count(z, x -> x < 0);
        assertThat((double) Math.abs(pos - neg)).isLessThan(4 * Math.sqrt(pos + neg));
        assertProportion(pos, a / (1 + a), "P(Z > 0)");
    }

    @Test
    void nonDyadicEpsilonUsesExactRationalArithmetic() {
        // 0.1 is not a short binary fraction: t = 5 * 2^56 and the Bernoulli draws exceed 64 bits.
        DiscreteLaplace m = new DiscreteLaplace(0.1, 5, new SplittableRandom(21));
        int n = 40_000;
        double ss = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long v = m.sample();
            sum += v;
            ss += (double) v * v;
        }
        double a = Math.exp(-0.02);
        double exactVariance = 2 * a / ((1 - a) * (1 - a));
        assertThat(Math.abs(sum / n)).isLessThan(4 * Math.sqrt(exactVariance / n));
        assertThat(ss / n).isCloseTo(exactVariance, within(0.05 * exactVariance));
    }

    @Test
    void addNoiseIsUnbiasedAroundTheValue() {
        DiscreteLaplace m = new DiscreteLaplace(0.5, 5, new SplittableRandom(31));
        int n = 50_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += m.addNoise(1_000);
        }
        assertThat(Math.abs(sum / n - 1_000)).isLessThan(4 * Math.sqrt(m.variance() / n));
    }

    @Test
    void addNoiseClampsInsteadOfWrapping() {
        DiscreteLaplace m = new DiscreteLaplace(1.0, 1, new SplittableRandom(41));
        for (int i = 0; i < 10_000; i++) {
            assertThat(m.addNoise(Long.MAX_VALUE)).isGreaterThan(Long.MAX_VALUE - 1_000);
            assertThat(m.addNoise(Long.MIN_VALUE)).isLessThan(Long.MIN_VALUE + 1_000);
        }
    }

    @Test
    void extremeRatiosNeitherOverflowNorHang() {
        // scale ~ 1e319: almost every draw is clamped to the long range, with both signs
        DiscreteLaplace huge = new DiscreteLaplace(1e-300, Long.MAX_VALUE, new SplittableRandom(51));
        assertThat(huge.variance()).isEqualTo(Double.POSITIVE_INFINITY);
        long positive = 0;
        long negative = 0;
        for (int i = 0; i < 2_000; i++) {
            long v = huge.sample();
            if (v > 0) {
                positive++;
            } else if (v < 0) {
                negative++;
            }
        }
        assertThat(positive).isGreaterThan(800);
        assertThat(negative).isGreaterThan(800);
        DiscreteLaplace tiny = new DiscreteLaplace(Double.MIN_VALUE, 1, new SplittableRandom(52));
        assertThat(tiny.sample()).isIn(Long.MIN_VALUE, Long.MAX_VALUE);

        // scale ~ 1e-300: the noise is 0 (P(Z != 0) ~ 2 exp(-1e300))
        DiscreteLaplace none = new DiscreteLaplace(1e300, 1, new SplittableRandom(53));
        assertThat(none.variance()).isEqualTo(0.0);
        for (int i = 0; i < 2_000; i++) {
            assertThat(none.addNoise(42)).isEqualTo(42);
        }
    }

    @Test
    void rejectsInvalidArguments() {
        SplittableRandom r = new SplittableRandom(1);
        for (double bad :
                new double[] {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> new DiscreteLaplace(bad, 5, r))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("epsilon");
            assertThatThrownBy(() -> DiscreteLaplace.secure(bad, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> TopicTrendNoise.splitEpsilon(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> new DiscreteLaplace(1.0, bad, r))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sensitivity");
        }
        assertThatThrownBy(() -> new DiscreteLaplace(1.0, 5, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secureGeneratorWorks() {
        DiscreteLaplace m = DiscreteLaplace.secure(0.5, 5);
        long distinct = java.util.stream.LongStream.generate(m::sample)
                .limit(1_000)
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(10);
        assertThat(m.epsilon()).isEqualTo(0.5);
        assertThat(m.sensitivity()).isEqualTo(5);
    }

    @Test
    void topicTrendReleaseRule() {
        assertThat(TopicTrendNoise.USER_COUNT_SENSITIVITY).isEqualTo(5);
        assertThat(TopicTrendNoise.ENGAGED_MINUTES_SENSITIVITY).isEqualTo(60);
        assertThat(TopicTrendNoise.SUPPRESS_BELOW).isEqualTo(20);
        assertThat(TopicTrendNoise.splitEpsilon(TopicTrendNoise.DEFAULT_EPSILON_PER_WINDOW))
                .isEqualTo(0.5);
        assertThat(TopicTrendNoise.splitEpsilon(0.3) * 2).isLessThanOrEqualTo(0.3);
        double sub = 3 * Double.MIN_VALUE;
        assertThat(TopicTrendNoise.splitEpsilon(sub) * 2).isLessThanOrEqualTo(sub);
        assertThatThrownBy(() -> TopicTrendNoise.splitEpsilon(Double.MIN_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TopicTrendNoise.released(19)).isFalse();
        assertThat(TopicTrendNoise.released(20)).isTrue();
        assertThat(TopicTrendNoise.released(-3)).isFalse();
        SplittableRandom r = new SplittableRandom(61);
        DiscreteLaplace users = TopicTrendNoise.userCounts(1.0, r);
        DiscreteLaplace minutes = TopicTrendNoise.engagedMinutes(1.0, r);
        assertThat(users.epsilon() + minutes.epsilon()).isEqualTo(1.0);
        assertThat(users.sensitivity()).isEqualTo(5);
        assertThat(minutes.sensitivity()).isEqualTo(60);
    }

    private static long count(long[] z, java.util.function.LongPredicate p) {
        long c = 0;
        for (long v : z) {
            if (p.test(v)) {
                c++;
            }
        }
        return c;
    }

    private static void assertProportion(long hits, double exact, String what) {
        double se = Math.sqrt(exact * (1 - exact) / N);
        assertThat((double) hits / N).as(what).isCloseTo(exact, within(4.5 * se));
    }
}
