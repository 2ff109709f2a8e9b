package org.attentionanalytics.privacy;

import java.util.random.RandomGenerator;

/**
 * The release rule of {@code TopicTrend} (DESIGN.md section 9): per window, every category of the
 * fixed public catalogue gets a noisy user count and noisy engaged minutes from {@link
 * DiscreteLaplace}, each with half of the window's epsilon; a category is published only if its
 * noisy user count is at least {@value #SUPPRESS_BELOW}. One window costs {@code epsilon}; a user
 * active in {@code k} windows is covered by {@code k * epsilon}. See {@link DiscreteLaplace} for
 * the reasoning and for what a consumer may conclude, {@link TrendContributions} for the per-user
 * bounding that the sensitivities assume, and {@link TopicTrendAggregator} for the operator that
 * applies this rule (its threshold is the option {@code --trends.min-users}, default {@value
 * #SUPPRESS_BELOW}).
 */
public final class TopicTrendNoise {
    /** Default epsilon of one window's release (both measures together). */
    public static final double DEFAULT_EPSILON_PER_WINDOW = 1.0;
    /** Categories one user contributes to per window (the ones with the most engaged time). */
    public static final int MAX_CATEGORIES_PER_USER = 5;
    /** Engaged minutes one user contributes to one category per window (whole minutes). */
    public static final int MAX_ENGAGED_MINUTES_PER_CATEGORY = 12;
    /** L1 sensitivity of the per-category user counts: 1 in each of 5 categories. */
    public static final long USER_COUNT_SENSITIVITY = MAX_CATEGORIES_PER_USER;
    /** L1 sensitivity of the per-category engaged minutes: 12 in each of 5 categories. */
    public static final long ENGAGED_MINUTES_SENSITIVITY =
            (long) MAX_CATEGORIES_PER_USER * MAX_ENGAGED_MINUTES_PER_CATEGORY;
    /** Categories whose noisy user count is below this are suppressed. */
    public static final long SUPPRESS_BELOW = 20;

    private TopicTrendNoise() {}

    /**
     * @param epsilonPerWindow the epsilon of one window's whole release; positive and finite
     * @return the epsilon of each of the two measures: half each, so they compose to {@code
     *     epsilonPerWindow}
     */
    public static double splitEpsilon(double epsilonPerWindow) {
        if (!(epsilonPerWindow > 0) || Double.isInfinite(epsilonPerWindow)) {
            throw new IllegalArgumentException("epsilon per window must be positive and finite: " + epsilonPerWindow);
        }
        double half = epsilonPerWindow / 2; // exact unless subnormal
        if (half + half > epsilonPerWindow) {
            half = Math.nextDown(half); // never spend more than the window's epsilon
        }
        if (!(half > 0)) {
            throw new IllegalArgumentException("epsilon per window too small to split: " + epsilonPerWindow);
        }
        return half;
    }

    /** @return whether a category with this noisy user count is published (post-processing) */
    public static boolean released(long noisyUsers) {
        return noisyUsers >= SUPPRESS_BELOW;
    }

    /** @return the mechanism for per-category user counts of one window */
    public static DiscreteLaplace userCounts(double epsilonPerWindow, RandomGenerator random) {
        return new DiscreteLaplace(splitEpsilon(epsilonPerWindow), USER_COUNT_SENSITIVITY, random);
    }

    /** @return the mechanism for per-category engaged minutes of one window */
    public static DiscreteLaplace engagedMinutes(double epsilonPerWindow, RandomGenerator random) {
        return new DiscreteLaplace(splitEpsilon(epsilonPerWindow), ENGAGED_MINUTES_SENSITIVITY, random);
    }
}
