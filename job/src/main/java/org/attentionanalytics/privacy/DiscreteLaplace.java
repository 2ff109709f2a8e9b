package org.attentionanalytics.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The discrete Laplace (two-sided geometric) mechanism for pure epsilon-differential privacy on
 * integer counts (DESIGN.md section 9; README "Topic trends" says what the released values mean):
 * {@link #sample()} draws {@code Z} with {@code P(Z = z) = (1 - a) / (1 + a) * a^|z|}, {@code a =
 * exp(-epsilon / sensitivity)}; mean 0, {@link #variance()} {@code 2a / (1 - a)^2}.
 *
 * <p>The sampler is exact: Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
 * Privacy" (NeurIPS 2020, Algorithms 1 and 2), in integer arithmetic on the exact rational value of
 * {@code epsilon / sensitivity}, drawing only uniform integers (no floating-point logarithm, so no
 * holes in the tails). Values beyond the {@code long} range are clamped (post-processing). Not
 * thread-safe unless the generator is; {@link #secure} uses {@link SecureRandom}, as the design
 * requires; a seeded generator is for tests only.
 */
public final class DiscreteLaplace {
    private final double epsilon;
    private final long sensitivity;
    private final RandomGenerator random;
    /** {@code epsilon / sensitivity = s / t}, in lowest terms: noise scale {@code t / s}. */
    private final BigInteger s;

    private final BigInteger t;

    /**
     * @param epsilon the privacy parameter of one application to a vector of L1 sensitivity {@code
     *     sensitivity}; positive and finite
     * @param sensitivity the L1 sensitivity, at least 1
     * @param random the source of uniform randomness; {@link #secure} uses {@link SecureRandom}
     * @throws IllegalArgumentException on an invalid epsilon or sensitivity
     */
    public DiscreteLaplace(double epsilon, long sensitivity, RandomGenerator random) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be positive and finite: " + epsilon);
        }
        if (sensitivity < 1) {
            throw new IllegalArgumentException("sensitivity must be at least 1: " + sensitivity);
        }
        if (random == null) {
            throw new IllegalArgumentException("random is null");
        }
        this.epsilon = epsilon;
        this.sensitivity = sensitivity;
        this.random = random;
        // A double is a dyadic rational; BigDecimal(double) is its exact value.
        BigDecimal e = new BigDecimal(epsilon);
        BigInteger num;
        BigInteger den;
        if (e.scale() > 0) {
            num = e.unscaledValue();
            den = BigInteger.TEN.pow(e.scale());
        } else {
            num = e.unscaledValue().multiply(BigInteger.TEN.pow(-e.scale()));
            den = BigInteger.ONE;
        }
        den = den.multiply(BigInteger.valueOf(sensitivity));
        BigInteger g = num.gcd(den);
        this.s = num.divide(g);
        this.t = den.divide(g);
    }

    /**
     * @return a mechanism drawing from a new {@link SecureRandom} (not {@code getInstanceStrong()},
     *     which may block on Linux)
     */
    public static DiscreteLaplace secure(double epsilon, long sensitivity) {
        return new DiscreteLaplace(epsilon, sensitivity, new SecureRandom());
    }

    /** @return {@code value} plus a fresh {@link #sample()}, clamped to the {@code long} range */
    public long addNoise(long value) {
        long z = sample();
        long r = value + z;
        // Overflow iff both operands have the sign opposite to the result.
        if (((value ^ r) & (z ^ r)) < 0) {
            return value < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /**
     * @return a fresh draw of the noise, {@code P(Z = z)} proportional to {@code exp(-epsilon * |z| /
     *     sensitivity)}, clamped to the {@code long} range
     */
    public long sample() {
        // Canonne-Kamath-Steinke, Algorithm 2, for scale t/s.
        while (true) {
            BigInteger u = uniformBelow(t);
            if (!bernoulliExpMinusFraction(u, t)) {
                continue;
            }
            // v ~ Geometric(1 - e^-1) on {0, 1, ...}
            BigInteger v = BigInteger.ZERO;
            while (bernoulliExpMinusOne()) {
                v = v.add(BigInteger.ONE);
            }
            // x = u + t*v is geometric with parameter e^(-1/t); y = floor(x / s) is geometric with
            // parameter e^(-s/t).
            BigInteger y = u.add(t.multiply(v)).divide(s);
            boolean negative = random.nextBoolean();
            if (negative && y.signum() == 0) {
                continue;
            }
            long magnitude = y.bitLength() < 64 ? y.longValue() : Long.MAX_VALUE;
            return negative ? (magnitude == Long.MAX_VALUE ? Long.MIN_VALUE : -magnitude) : magnitude;
        }
    }

    /** @return {@code 2 alpha / (1 - alpha)^2} with {@code alpha = exp(-epsilon / sensitivity)} */
    public double variance() {
        double ratio = epsilon / sensitivity;
        double alpha = Math.exp(-ratio);
        double oneMinusAlpha = -Math.expm1(-ratio); // accurate when alpha is close to 1
        return 2 * alpha / (oneMinusAlpha * oneMinusAlpha);
    }

    /** @return {@code exp(-epsilon / sensitivity)} */
    public double alpha() {
        return Math.exp(-epsilon / sensitivity);
    }

    public double epsilon() {
        return epsilon;
    }

    public long sensitivity() {
        return sensitivity;
    }

    @Override
    public String toString() {
        return "DiscreteLaplace[epsilon=" + epsilon + ", sensitivity=" + sensitivity + "]";
    }

    /** Bernoulli(exp(-num/den)) for {@code 0 <= num <= den} (CKS Algorithm 1, gamma in [0, 1]). */
    private boolean bernoulliExpMinusFraction(BigInteger num, BigInteger den) {
        long k = 1;
        while (bernoulli(num, den.multiply(BigInteger.valueOf(k)))) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(exp(-1)). */
    private boolean bernoulliExpMinusOne() {
        long k = 1;
        // Bernoulli(1/k): k = 1 always succeeds.
        while (k == 1 || random.nextLong(k) == 0) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(num/den) for {@code 0 <= num <= den}, {@code den > 0}. */
    private boolean bernoulli(BigInteger num, BigInteger den) {
        return uniformBelow(den).compareTo(num) < 0;
    }

    /** @return a uniform integer in {@code [0, bound)}, {@code bound > 0} */
    private BigInteger uniformBelow(BigInteger bound) {
        int bits = bound.bitLength();
        if (bits < 64) {
            return BigInteger.valueOf(random.nextLong(bound.longValue()));
        }
        // Rejection sampling on bitLength uniform bits: accepted with probability > 1/2.
        int longs = (bits + 63) / 64;
        int excess = longs * 64 - bits;
        byte[] bytes = new byte[longs * 8];
        while (true) {
            for (int i = 0; i < longs; i++) {
                long w = random.nextLong();
                if (i == 0) {
                    w >>>= excess;
                }
                for (int b = 0; b < 8; b++) {
                    bytes[i * 8 + b] = (byte) (w >>> (56 - 8 * b));
                }
            }
            BigInteger r = new BigInteger(1, bytes);
            if (r.compareTo(bound) < 0) {
                return r;
            }
        }
    }
}
