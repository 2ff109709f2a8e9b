package org.attentionanalytics.job;

import java.time.Duration;
import org.attentionanalytics.recommend.RecsSettings;
import org.attentionanalytics.recommend.SourceWeights;
import picocli.CommandLine.Option;

/**
 * The job's options of the recommendations (DESIGN.md section 12): list size and pace, the
 * exclusion window, and the bounds of the item-to-item table. {@link JobOptions} extends it; {@link
 * #recsSettings} turns it into the engines' {@link RecsSettings}.
 */
public class RecommendationOptions extends LiveOptions {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--recs.enabled",
            defaultValue = "false",
            arity = "1",
            paramLabel = "true|false",
            description = "Write recommendations to --topic.recommendations (off by default: with them the job runs at "
                    + "about a seventh of its events/s, BENCHMARKS.md; the local demo and evaluate turn them on). "
                    + "Default: ${DEFAULT-VALUE}")
    public boolean recsEnabled;

    @Option(
            names = "--recs.size",
            defaultValue = "10",
            paramLabel = "N",
            description = "Items per recommendation list. Default: ${DEFAULT-VALUE}")
    public int recsSize;

    @Option(
            names = "--recs.modes",
            defaultValue = "true",
            arity = "1",
            paramLabel = "BOOLEAN",
            description =
                    "Cut the lists to the user's attention: FOCUSED while overloaded, QUIET from a TAKE_A_BREAK alert "
                            + "to the next break; false: every list NORMAL (evaluate turns them off). Default: ${DEFAULT-VALUE}")
    public boolean recsModes;

    @Option(
            names = "--recs.focused-size",
            defaultValue = "3",
            paramLabel = "N",
            description = "Items per list while the user is overloaded (mode FOCUSED: two of the three "
                    + "INFORMATION_OVERLOAD measures at their thresholds), at most --recs.size; only items of the "
                    + "user's top topics. Default: ${DEFAULT-VALUE}")
    public int recsFocusedSize;

    @Option(
            names = "--recs.weight.similar-to-recent",
            defaultValue = "1",
            paramLabel = "W",
            description = "Weight of the items co-viewed with the user's recent items (SIMILAR_TO_RECENT) in a list; "
                    + "each source's best candidate counts as its weight. Default: ${DEFAULT-VALUE}")
    public double recsWeightSimilarToRecent;

    @Option(
            names = "--recs.weight.matches-interests",
            defaultValue = "1",
            paramLabel = "W",
            description =
                    "Weight of the popular items of the user's top interest topics, by the cosine of their topics "
                            + "and the interest vector (MATCHES_INTERESTS); 0: off (no per-topic tables). "
                            + "Default: ${DEFAULT-VALUE}")
    public double recsWeightMatchesInterests;

    @Option(
            names = "--recs.weight.similar-users",
            defaultValue = "0",
            paramLabel = "W",
            description = "Weight of the items viewed by users with similar interest vectors (SIMILAR_USERS); 0: off "
                    + "(no buckets of users; off by default: it adds nothing measurable on the samples evaluate "
                    + "knows and costs more than half of the recommendations' events/s, BENCHMARKS.md). "
                    + "Default: ${DEFAULT-VALUE}")
    public double recsWeightSimilarUsers;

    @Option(
            names = "--recs.min-similar-users",
            defaultValue = "5",
            paramLabel = "N",
            description = "Fewest distinct similar users who viewed an item before it is proposed to a user "
                    + "(SIMILAR_USERS), so that no list reveals what one other user viewed. Default: ${DEFAULT-VALUE}")
    public int recsMinSimilarUsers;

    @Option(
            names = "--recs.min-interval",
            defaultValue = "10 s",
            converter = JobOptions.DurationConverter.class,
            description =
                    "Least event time between two lists of a user after views (a list held back goes out with the "
                            + "next view or when the session closes); 0s: after every view. Default: ${DEFAULT-VALUE}")
    public Duration recsMinInterval;

    @Option(
            names = "--recs.exclude-viewed-within",
            defaultValue = "1 h",
            converter = JobOptions.DurationConverter.class,
            description = "Items the user viewed this recently (event time) are not proposed; bought items never are; "
                    + "0s: no exclusion of viewed items. Default: ${DEFAULT-VALUE}")
    public Duration recsExcludeViewedWithin;

    @Option(
            names = "--recs.half-life",
            defaultValue = "7 d",
            converter = JobOptions.DurationConverter.class,
            description = "Half-life of co-occurrence, interaction and popularity counts (event time), so that "
                    + "neighbours follow trends. Default: ${DEFAULT-VALUE}")
    public Duration recsHalfLife;

    @Option(
            names = "--recs.neighbours",
            defaultValue = "50",
            paramLabel = "K",
            description = "Most similar items kept per item (top k). Default: ${DEFAULT-VALUE}")
    public int recsNeighbours;

    @Option(
            names = "--recs.max-user-interactions",
            defaultValue = "500",
            paramLabel = "KMAX",
            description = "A user's views count towards co-occurrence while the user's decayed count of counted views "
                    + "is below this. Default: ${DEFAULT-VALUE}")
    public int recsMaxUserInteractions;

    @Option(
            names = "--recs.max-item-interactions",
            defaultValue = "1000",
            paramLabel = "FMAX",
            description = "An item's views count while its decayed count of counted views is below this. "
                    + "Default: ${DEFAULT-VALUE}")
    public int recsMaxItemInteractions;

    /** @return the sources' weights ({@code --recs.weight.*}) */
    public SourceWeights sourceWeights() {
        return new SourceWeights(recsWeightSimilarToRecent, recsWeightMatchesInterests, recsWeightSimilarUsers);
    }

    /**
     * @return the recommendation engines' settings; the lateness is {@code latenessMs}; erasures in
     *     event time when {@code bounded}
     */
    public RecsSettings recsSettings(long latenessMs, boolean bounded) {
        return new RecsSettings(
                recsSize,
                recsMinInterval.toMillis(),
                recsExcludeViewedWithin.toMillis(),
                recsHalfLife.toMillis(),
                recsNeighbours,
                recsMaxUserInteractions,
                recsMaxItemInteractions,
                recsMinSimilarUsers,
                latenessMs,
                bounded);
    }
}
