package org.attentionanalytics.local;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.local.demo.DemoTraffic;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The live status of a continuous {@link LocalCommand} run: every 2 s the status ({@link
 * StatusPrinter}: one line rewritten in place on a terminal), alerts and focus block reports as
 * they come and every 30 s the
 * top topics of the most active users and, in the demo, the personas' latest recommendations, until
 * Ctrl-C or the job ends by itself.
 */
final class LiveStatusLoop {
    private static final long STATUS_INTERVAL_MS = 2000;
    /** The top topics are shown every this many status ticks: 30 s. */
    private static final int TOP_TOPICS_EVERY = 15;
    /** Users shown among the most active have at least this many counted events. */
    static final long TOP_TOPICS_MIN_EVENTS = 10;
    /** Items shown of each persona's recommendation list. */
    static final int RECOMMENDED_ITEMS_SHOWN = 5;

    private final PrintWriter out;
    private final JobOptions options;
    private final JobClient job;
    private final CountDownLatch interrupted;
    private final boolean demo;
    private final String webUiUrl;
    /** The personas' lists (demo only), or null before {@link #run()} opens it. */
    private RecommendationWatcher recommendations;
    /** The focus block reports (in the demo the personas' only), or null before {@link #run()} opens it. */
    private UserLineWatcher<FocusBlockReport> focusBlocks;

    /**
     * @param interrupted counted down by Ctrl-C
     * @param demo whether the run is fed by the demo generator (its personas' alerts show with names)
     */
    LiveStatusLoop(
            PrintWriter out,
            JobOptions options,
            JobClient job,
            CountDownLatch interrupted,
            boolean demo,
            String webUiUrl) {
        this.out = out;
        this.options = options;
        this.job = job;
        this.interrupted = interrupted;
        this.demo = demo;
        this.webUiUrl = webUiUrl;
    }

    /**
     * Shows the status every 2 s, alerts and focus block reports as they come and every 30 s the top topics of the most
     * active users (from the interest vectors, users with at least {@value #TOP_TOPICS_MIN_EVENTS}
     * events), until Ctrl-C (0) or the job ends by itself (0 if it finished, else it throws).
     */
    int run() throws Exception {
        LiveStatus status = new LiveStatus(webUiUrl);
        // asked once, at the start: the MiniCluster shuts down with the job, the result stays here
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        try (InterestVectorWatcher vectors = new InterestVectorWatcher(
                        options.bootstrapServers,
                        options.kafkaProperties,
                        options.liveEnabled ? options.liveInterestVectorsTopic : options.interestVectorsTopic,
                        options.schemaRegistry());
                UserLineWatcher<AttentionAlert> alerts = AlertWatcher.watch(
                        options.bootstrapServers,
                        options.kafkaProperties,
                        options.alertsTopic,
                        demo ? personaNames() : Map.of(),
                        options.schemaRegistry());
                UserLineWatcher<FocusBlockReport> focusBlocks = FocusBlockWatcher.watch(
                        options.bootstrapServers,
                        options.kafkaProperties,
                        options.focusBlockReportsTopic,
                        demo ? personaNames() : Map.of(),
                        options.schemaRegistry());
                RecommendationWatcher recommendations = new RecommendationWatcher(
                        options.bootstrapServers,
                        options.kafkaProperties,
                        options.liveEnabled ? options.liveRecommendationsTopic : options.recommendationsTopic,
                        options.schemaRegistry())) {
            this.recommendations = recommendations;
            this.focusBlocks = focusBlocks;
            return run(status, result, vectors, alerts);
        }
    }

    /** The demo personas by pseudonym, so their alerts and recommendations show with their names. */
    private Map<String, String> personaNames() {
        Pseudonymizer pseudonyms = new Pseudonymizer(Pseudonymizer.loadKey(options.pseudonymKeyFile));
        Map<String, String> names = new LinkedHashMap<>();
        DemoTraffic.PERSONA_USER_IDS.forEach(id -> names.put(pseudonyms.pseudonym(id), id));
        return names;
    }

    private int run(
            LiveStatus status,
            CompletableFuture<JobExecutionResult> result,
            InterestVectorWatcher vectors,
            UserLineWatcher<AttentionAlert> alerts)
            throws Exception {
        StatusPrinter printer = new StatusPrinter(out, System.console() != null, System::currentTimeMillis);
        try {
            return run(status, result, vectors, alerts, printer);
        } finally {
            printer.finish();
        }
    }

    private int run(
            LiveStatus status,
            CompletableFuture<JobExecutionResult> result,
            InterestVectorWatcher vectors,
            UserLineWatcher<AttentionAlert> alerts,
            StatusPrinter printer)
            throws Exception {
        for (int tick = 1; !interrupted.await(STATUS_INTERVAL_MS, TimeUnit.MILLISECONDS); tick++) {
            if (result.isDone()) {
                result.get(); // throws with the job's failure as cause
                printer.line("The job finished.");
                return 0;
            }
            Map<String, Object> accumulators;
            try {
                accumulators = job.getAccumulators().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (result.isDone()) {
                    continue; // ended between the check and the request: report the result above
                }
                throw e;
            }
            alerts.newLines().forEach(printer::line);
            focusBlocks.newLines().forEach(printer::line);
            List<String> top =
                    tick % TOP_TOPICS_EVERY == 0 ? vectors.mostActive(3, 4, TOP_TOPICS_MIN_EVENTS) : List.of();
            if (!top.isEmpty()) {
                printer.line("Top topics of the most active users ("
                        + (options.liveEnabled ? "live interest vectors" : "interest vectors")
                        + ", unit weights):");
                top.forEach(printer::line);
            }
            List<String> lists = demo && tick % TOP_TOPICS_EVERY == 0 && options.recsEnabled
                    ? recommendations.lines(personaNames(), RECOMMENDED_ITEMS_SHOWN)
                    : List.of();
            if (!lists.isEmpty()) {
                printer.line("Recommendations for the personas (score; * matches interests; ~ popular fill):");
                lists.forEach(printer::line);
            }
            printer.status(status.render(accumulators, System.nanoTime()));
        }
        return 0;
    }
}
