package org.attentionanalytics.evaluate;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Scores the job's recommendations and two baselines on the same views, next-item prediction as
 * in session-based recommendation (Ludewig and Jannach 2018): every view that is not the first of
 * its session is predicted from what happened strictly before it. The views are walked in {@link
 * View#TIME_ORDER}; for a scored view, the job's list is the one in force for the user just before
 * the view's start ({@link RecommendationTimeline#before}), the popularity list ({@link
 * PopularityBaseline}) and the item-kNN list of the session's previous item ({@link
 * ItemKnnBaseline}) are built from the views before it in that order; then the view is added to the
 * baselines. A view is "new" when its user never viewed its item before.
 */
public final class Evaluation {
    /** The cut-off of every list. */
    public static final int K = 20;

    private Evaluation() {}

    /**
     * @param views the ground truth, in any order
     * @param job the job's list in force for a user before an instant (null: none)
     * @return the figures of the job, item-kNN and popularity, by those names
     */
    public static Result run(List<View> views, BiFunction<String, Instant, List<String>> job) {
        return run(views, job, Map.of());
    }

    /**
     * @param sources the job's lists of other runs (each recommendation source alone), by name
     * @return as {@link #run(List, BiFunction)}, with each of {@code sources} scored on the same views
     */
    public static Result run(
            List<View> views,
            BiFunction<String, Instant, List<String>> job,
            Map<String, BiFunction<String, Instant, List<String>>> sources) {
        List<View> ordered = views.stream().sorted(View.TIME_ORDER).toList();
        RankingScore jobScore = new RankingScore(K);
        RankingScore knnScore = new RankingScore(K);
        RankingScore popScore = new RankingScore(K);
        Map<String, RankingScore> sourceScores = new LinkedHashMap<>();
        sources.keySet().forEach(name -> sourceScores.put(name, new RankingScore(K)));
        PopularityBaseline popularity = new PopularityBaseline();
        ItemKnnBaseline knn = new ItemKnnBaseline();
        Map<String, String> lastItemOfSession = new HashMap<>();
        Map<String, Set<String>> viewedByUser = new HashMap<>();
        Set<String> items = new HashSet<>();
        for (View v : ordered) {
            Set<String> viewed = viewedByUser.computeIfAbsent(v.user(), u -> new HashSet<>());
            String previous = lastItemOfSession.get(sessionKey(v));
            if (previous != null) {
                boolean newItem = !viewed.contains(v.item());
                jobScore.add(job.apply(v.user(), v.start()), v.item(), newItem);
                knnScore.add(knn.neighbours(previous, K), v.item(), newItem);
                popScore.add(popularity.top(K), v.item(), newItem);
                sources.forEach((name, lists) ->
                        sourceScores.get(name).add(lists.apply(v.user(), v.start()), v.item(), newItem));
            }
            viewed.add(v.item());
            items.add(v.item());
            lastItemOfSession.put(sessionKey(v), v.item());
            knn.add(sessionKey(v), v.item());
            popularity.add(v.item());
        }
        Map<String, RankingScore.Figures> sourceFigures = new LinkedHashMap<>();
        sourceScores.forEach((name, score) -> sourceFigures.put(name, score.figures()));
        return new Result(
                jobScore.figures(),
                knnScore.figures(),
                popScore.figures(),
                sourceFigures,
                ordered.size(),
                viewedByUser.size(),
                items.size());
    }

    /** Session ids are the job's, unique per user already; the user is added for safety. */
    private static String sessionKey(View v) {
        return v.user() + "\u0000" + v.session();
    }

    /**
     * The evaluation's figures.
     *
     * @param job the job's recommendations
     * @param itemKnn the exact item-kNN baseline
     * @param popularity the popularity baseline
     * @param sources the job's lists with one recommendation source alone, by name (in the order run)
     * @param views views of the ground truth
     * @param users distinct users that viewed something
     * @param items distinct items viewed
     */
    public record Result(
            RankingScore.Figures job,
            RankingScore.Figures itemKnn,
            RankingScore.Figures popularity,
            Map<String, RankingScore.Figures> sources,
            long views,
            long users,
            long items) {}
}
