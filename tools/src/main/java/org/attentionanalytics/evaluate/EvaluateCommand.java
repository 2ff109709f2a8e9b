package org.attentionanalytics.evaluate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.attentionanalytics.avro.RecommendationReason;
import org.attentionanalytics.job.CliSupport;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.local.LocalCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention evaluate}: how well the job's recommendations predict what people view
 * next, against two baselines. It is {@code bin/attention local --bounded} (every option of {@code
 * local} applies) with {@code --recs.enabled true --recs.size 20 --recs.min-interval 0s --recs.exclude-viewed-within
 * 0s}, without operator chaining, and the output files in {@code --output-dir} (a temporary
 * directory when not given); then it scores the job's lists, popularity and exact item-kNN on the
 * page views of the run ({@link Evaluation}); when the lists blend several sources, it runs again
 * with each source alone and scores those lists on the same views. It prints the table and the recommendation operators'
 * state bytes per key ({@link StateBytes}) and writes them as JSON ({@link EvaluationReport}).
 * Exit codes: 0 done, 1 failed, 2 usage error.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "Attention Analytics 0.1.0",
        description = {
            "Measure the job's recommendations: a bounded local run of a dataset (every option of local applies) with --recs.size 20,"
                    + " --recs.min-interval 0s and --recs.exclude-viewed-within 0s, then recall@20 and MRR@20 of the next item and the next new"
                    + " item, for the job, an exact item-kNN and popularity, on the same views, and the recommendation state bytes per item"
                    + " and per user."
        })
public class EvaluateCommand extends LocalCommand {
    /** The job options the evaluation sets itself (see {@link #setRecsOptions}). */
    static final List<String> RECS_OPTIONS = List.of(
            "--recs.enabled", "--recs.size", "--recs.min-interval", "--recs.exclude-viewed-within", "--recs.modes");

    /** The recommendation operators whose state is measured. */
    static final List<String> STATE_UIDS = uids();

    @Spec
    CommandSpec evaluateSpec;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "JSON file for the figures. Default: evaluation.json in the output directory.")
    Path report;

    /** The command as {@code bin/attention} registers it. */
    public EvaluateCommand() {
        measuringState(STATE_UIDS);
    }

    private static List<String> uids() {
        List<String> uids = new ArrayList<>(StateBytes.PER_ITEM);
        uids.addAll(StateBytes.PER_USER);
        uids.addAll(StateBytes.ONE_KEY);
        return List.copyOf(uids);
    }

    /**
     * @return 0 when done, 1 when the run or the scoring failed, the local run's code otherwise
     * @throws ParameterException for options the evaluation sets itself, or without --dataset
     */
    @Override
    public Integer call() {
        PrintWriter err = evaluateSpec.commandLine().getErr();
        PrintWriter out = evaluateSpec.commandLine().getOut();
        if (option("--dataset").getValue() == null) {
            throw new ParameterException(evaluateSpec.commandLine(), "evaluate needs --dataset KIND:PATH");
        }
        setRecsOptions();
        Path dir;
        try {
            dir = option("--output-dir").getValue();
            if (dir == null) {
                dir = Files.createTempDirectory("attention-evaluate");
                option("--output-dir").setValue(dir);
            }
        } catch (IOException e) {
            err.println("evaluate: failed: " + CliSupport.describe(e));
            return 1;
        }
        option("--bounded").setValue(true);
        int code = super.call();
        if (code != 0) {
            return code;
        }
        Map<String, Long> bytes = stateBytes();
        Map<String, Path> sourceRuns = new LinkedHashMap<>();
        code = runEachSourceAlone(dir, sourceRuns, out);
        if (code != 0) {
            return code;
        }
        try {
            Path reportFile = report != null ? report : dir.resolve("evaluation.json");
            EvaluationReport evaluation = evaluate(dir, bytes, sourceRuns);
            evaluation.write(reportFile);
            out.println();
            out.print(evaluation.table());
            out.println("Report: " + reportFile.toAbsolutePath());
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("evaluate: failed: " + CliSupport.describe(e));
            err.flush();
            return 1;
        }
    }

    /**
     * Lists after every view ({@code --recs.min-interval 0s}), of {@link Evaluation#K} items,
     * without leaving out what the user viewed ({@code --recs.exclude-viewed-within 0s}: a view of
     * an item seen before is scored too), recommendations on, modes off ({@code --recs.modes
     *     false}: every list as ranked).
     *
     * @throws ParameterException if one of {@link #RECS_OPTIONS} was given
     */
    private void setRecsOptions() {
        for (String name : RECS_OPTIONS) {
            if (evaluateSpec.commandLine().getParseResult().hasMatchedOption(name)) {
                throw new ParameterException(
                        evaluateSpec.commandLine(),
                        "evaluate sets --recs.enabled true, --recs.size " + Evaluation.K
                                + ", --recs.min-interval 0s, --recs.exclude-viewed-within 0s and --recs.modes false "
                                + "itself: leave out " + name);
            }
        }
        JobOptions options = jobOptions();
        options.recsEnabled = true;
        options.recsSize = Evaluation.K;
        options.recsMinInterval = Duration.ZERO;
        options.recsExcludeViewedWithin = Duration.ZERO;
        options.recsModes = false; // what the sources predict, not what the user's attention allows
    }

    /**
     * When the lists blend several sources ({@code --recs.weight.*}), runs the dataset again with
     * each source alone (weight 1, the others 0; the popular fill stays), into {@code DIR/SOURCE}.
     *
     * @param runs filled with each source's output directory, by its reason's name
     * @return 0, or the failed run's code
     */
    private int runEachSourceAlone(Path dir, Map<String, Path> runs, PrintWriter out) {
        JobOptions options = jobOptions();
        double[] weights = weights(options);
        RecommendationReason[] sources = {
            RecommendationReason.SIMILAR_TO_RECENT,
            RecommendationReason.MATCHES_INTERESTS,
            RecommendationReason.SIMILAR_USERS
        };
        if (java.util.Arrays.stream(weights).filter(w -> w > 0).count() < 2) {
            return 0;
        }
        try {
            for (int i = 0; i < sources.length; i++) {
                if (weights[i] == 0) {
                    continue;
                }
                String name = sources[i].name();
                Path sourceDir = dir.resolve(name.toLowerCase(java.util.Locale.ROOT));
                out.printf("%nThe same run with %s alone, into %s:%n", name, sourceDir);
                out.flush();
                option("--output-dir").setValue(sourceDir);
                double[] alone = new double[sources.length];
                alone[i] = 1;
                setWeights(options, alone);
                int code = super.call();
                if (code != 0) {
                    return code;
                }
                runs.put(name, sourceDir);
            }
            return 0;
        } finally {
            option("--output-dir").setValue(dir);
            setWeights(options, weights);
        }
    }

    /** @return {@code --recs.weight.*}: similar to recent, matches interests, similar users */
    private static double[] weights(JobOptions options) {
        return new double[] {
            options.recsWeightSimilarToRecent, options.recsWeightMatchesInterests, options.recsWeightSimilarUsers
        };
    }

    private static void setWeights(JobOptions options, double[] w) {
        options.recsWeightSimilarToRecent = w[0];
        options.recsWeightMatchesInterests = w[1];
        options.recsWeightSimilarUsers = w[2];
    }

    private EvaluationReport evaluate(Path dir, Map<String, Long> bytes, Map<String, Path> sourceRuns)
            throws IOException {
        Path views = dir.resolve(jobOptions().pageViewsTopic + ".jsonl");
        String recsFile = jobOptions().recommendationsTopic + ".jsonl";
        Map<String, BiFunction<String, Instant, List<String>>> sources = new LinkedHashMap<>();
        for (Map.Entry<String, Path> run : sourceRuns.entrySet()) {
            sources.put(run.getKey(), RecommendationTimeline.read(run.getValue().resolve(recsFile))::before);
        }
        Evaluation.Result result = Evaluation.run(
                PageViewsFile.read(views), RecommendationTimeline.read(dir.resolve(recsFile))::before, sources);
        StateBytes state = bytes.isEmpty()
                ? StateBytes.unavailable("the final checkpoint has no statistics for the operators " + STATE_UIDS)
                : StateBytes.of(bytes);
        return new EvaluationReport(option("--dataset").getValue().toString(), result, state);
    }

    private OptionSpec option(String name) {
        return evaluateSpec.findOption(name);
    }
}
