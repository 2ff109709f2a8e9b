package org.attentionanalytics.local.demo;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.attentionanalytics.job.JobOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo traffic generator on its own, for a container next to a Flink cluster (the
 * {@code demo-generator} service of {@code docker/compose.yaml}): publishes {@link DemoTraffic} to
 * Kafka until the process is stopped, and prints the number of records sent every 10 s.
 *
 * <pre>
 * java -cp attention-analytics.jar:/opt/flink/lib/* org.attentionanalytics.local.demo.DemoMain \
 *   --bootstrap-servers kafka:9092 --users 1000 --rate 200
 * </pre>
 *
 * Topic names default to the job's defaults ({@link JobOptions}); {@code --topic.clickstream},
 * {@code --topic.dwell-time}, {@code --topic.budgets} and {@code --topic.focus-blocks} change them,
 * as for the job.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Publish simulated clickstream and dwell-time traffic to Kafka until stopped.")
public final class DemoMain implements Callable<Integer> {
    private static final JobOptions JOB_DEFAULTS = JobOptions.defaults();

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(
            names = "--users",
            defaultValue = "1000",
            description = "Simulated users, at least 1. Default: ${DEFAULT-VALUE}")
    int users;

    @Option(
            names = "--rate",
            defaultValue = "200",
            description = "Events per second over all users; 0 for the natural rate. Default: ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--topic.clickstream", description = "Topic of ClickEvents. Default: the job's default")
    String clickstreamTopic = JOB_DEFAULTS.clickstreamTopic;

    @Option(names = "--topic.dwell-time", description = "Topic of DwellEvents. Default: the job's default")
    String dwellTopic = JOB_DEFAULTS.dwellTopic;

    @Option(
            names = "--topic.budgets",
            description =
                    "Topic of AttentionBudgets (the demo-over-budget persona's budget). Default: the job's default")
    String budgetsTopic = JOB_DEFAULTS.budgetsTopic;

    @Option(
            names = "--topic.focus-blocks",
            description =
                    "Topic of FocusBlocks (the demo-focus-worker persona's focus block). Default: the job's default")
    String focusBlocksTopic = JOB_DEFAULTS.focusBlocksTopic;

    /** Runs until the JVM is stopped (SIGTERM from {@code docker stop}, Ctrl-C). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    /**
     * Parses and checks {@code args} without running anything.
     *
     * @throws CommandLine.ParameterException for unknown options, bad values, {@code --users} below 1
     *     or a negative {@code --rate}
     */
    public static DemoMain parse(String... args) {
        DemoMain demo = new DemoMain();
        CommandLine cl = new CommandLine(demo);
        cl.parseArgs(args);
        demo.check(cl);
        return demo;
    }

    private void check(CommandLine cl) {
        if (users < 1) {
            throw new CommandLine.ParameterException(cl, "--users must be at least 1, not " + users);
        }
        if (!(rate >= 0)) {
            throw new CommandLine.ParameterException(cl, "--rate must be 0 or more, not " + rate);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        check(new CommandLine(this));
        DemoGenerator generator = new DemoGenerator(
                bootstrapServers,
                clickstreamTopic,
                dwellTopic,
                budgetsTopic,
                focusBlocksTopic,
                users,
                rate,
                System.nanoTime(),
                Map.of());
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-status");
            t.setDaemon(true);
            return t;
        });
        status.scheduleAtFixedRate(
                () -> System.out.printf(
                        "Demo traffic: %,d records sent, %,d failed%n", generator.published(), generator.failed()),
                10,
                10,
                TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(generator::close, "demo-shutdown"));
        System.out.printf(
                "Demo traffic to %s (%s, %s): %,d users, about %,.0f events/s, until stopped.%n",
                bootstrapServers, clickstreamTopic, dwellTopic, users, rate);
        generator.run(); // returns when the shutdown hook closes the generator
        return 0;
    }
}
