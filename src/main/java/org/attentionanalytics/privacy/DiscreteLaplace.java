package org.attentionanalytics.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The discrete Laplace mechanism (two-sided geometric mechanism) for pure epsilon-differential
 * privacy on integer counts, as DESIGN.md section 9 specifies for {@code TopicTrend}. See {@link
 * TopicTrendNoise} for the release rule built on it.
 *
 * <h2>The noise</h2>
 *
 * {@link #sample()} draws an integer {@code Z} with
 *
 * <pre>
 *   P(Z = z) = (1 - alpha) / (1 + alpha) * alpha^|z|,   alpha = exp(-epsilon / sensitivity),
 * </pre>
 *
 * that is {@code P(Z = z)} proportional to {@code exp(-epsilon * |z| / sensitivity)}. {@code Z} is
 * symmetric with mean 0 and {@link #variance()} {@code 2 alpha / (1 - alpha)^2} (about {@code 2 *
 * (sensitivity / epsilon)^2} when that ratio is large). {@code P(|Z| >= k) = 2 alpha^k / (1 +
 * alpha)} for {@code k >= 1}.
 *
 * <p>The sampler is exact: it is the algorithm of Canonne, Kamath and Steinke, "The Discrete
 * Gaussian for Differential Privacy" (NeurIPS 2020, Algorithms 1 and 2), run in exact integer
 * arithmetic on the ratio {@code epsilon / sensitivity}, where {@code epsilon} is taken as the exact
 * rational value of its {@code double}. Only uniform integers are drawn from the generator; there is
 * no floating-point logarithm or exponential, so the output has no holes or rounding artefacts in its
 * tails (the floating-point attacks on textbook Laplace noise do not apply), and the probability
 * ratio between neighbouring outputs is exactly {@code exp(epsilon / sensitivity)} given a uniform
 * generator. Large {@code sensitivity / epsilon} ratios are handled with {@link BigInteger}; a noisy
 * value outside the {@code long} range is clamped to {@link Long#MIN_VALUE} or {@link
 * Long#MAX_VALUE} (post-processing, so the guarantee is unchanged). Expected cost is a few dozen
 * uniform draws per sample.
 *
 * <h2>Sensitivity</h2>
 *
 * The guarantee is about neighbouring inputs that differ by adding or removing all the events of one
 * user. {@code sensitivity} is the largest L1 change one user can cause in the whole vector of counts
 * that is released with this noise, one independent draw per coordinate. For topic trends
 * (DESIGN.md section 9) each user contributes to at most 5 categories per window:
 *
 * <ul>
 *   <li>user count: 1 in each of at most 5 categories, so one user changes the vector of per-category
 *       user counts by at most 5 in L1: sensitivity 5;
 *   <li>engaged minutes: at most 12 (whole) minutes in each of at most 5 categories: sensitivity 60.
 * </ul>
 *
 * These bounds hold only if the job enforces them per user before summing (top 5 categories, 12
 * minute cap, integer minutes per user and category); if minutes were summed in another unit the
 * sensitivity would change with it (12 minutes = 720 seconds gives 3600). Under the "replace one
 * user by another" neighbouring relation the sensitivities double (10 and 120) and so does the
 * effective epsilon.
 *
 * <h2>The epsilon of one release</h2>
 *
 * Adding {@code Z} with this {@code (epsilon, sensitivity)} to every coordinate of a vector of L1
 * sensitivity {@code sensitivity} is {@code epsilon}-differentially private (pure DP, delta = 0). A
 * topic-trend window releases two such vectors, each with half of the window's epsilon (default 1.0,
 * so 0.5 each); by sequential composition one window's release costs {@code epsilon}. The category
 * set is the fixed, public catalogue of DESIGN.md section 7, so which categories exist is not
 * data-dependent; deciding to publish or suppress a category from its <em>noisy</em> user count
 * (below 20: suppressed) is post-processing of the private output and keeps the release pure
 * epsilon-DP. (Suppressing on the true count, or releasing only categories that occur in the data,
 * would not.)
 *
 * <h2>Composition over windows</h2>
 *
 * Windows are disjoint in time but the same user appears in many of them. Each window's release
 * costs {@code epsilon} for every user active in it, so a user active in {@code k} windows is
 * covered by {@code k * epsilon} overall (basic sequential composition); a year of hourly windows for
 * a user who is always active is a very large total. Fresh noise is drawn for every release: never
 * cache and re-release, never re-draw a released value (averaging redraws would undo the noise).
 *
 * <h2>What a consumer may and may not conclude</h2>
 *
 * <ul>
 *   <li>A noisy value is an unbiased estimate of the <em>contribution-bounded</em> count (after the
 *       5-category and 12-minute caps, which already undercount heavy users); its standard deviation
 *       is {@code sqrt(variance())}: about 14 users and about 170 minutes at epsilon 0.5 per measure.
 *       Noisy values can be negative or exceed the population; clamping them is allowed but biases
 *       the estimate.
 *   <li>Released categories are biased upwards (they were selected for a noisy count of at least
 *       20), and a missing category means "small or absent", not zero. Differences between windows
 *       or categories carry the noise of both (variance adds).
 *   <li>Nothing about any single user, including whether they were present, can be inferred beyond
 *       what the epsilon bound allows; a trend over many windows is better estimated by aggregating
 *       released values, but every window read adds to the privacy loss of the users in it.
 * </ul>
 *
 * <p>Not thread-safe unless the generator is; use one instance per task. With {@link #secure} the
 * noise comes from a cryptographically secure generator, as DESIGN.md requires; the constructor
 * taking any {@link RandomGenerator} exists for deterministic tests and must not be used with a
 * seeded generator in production.
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
