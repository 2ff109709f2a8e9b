package org.attentionanalytics.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.attentionanalytics.io.OutputFormat;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.job.JobIo;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.local.demo.DemoTrafficSource;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.replay.DatasetKind;
import org.attentionanalytics.replay.ReplayOptions;
import org.attentionanalytics.replay.ReplayResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention local}: the whole product on one machine. Starts an embedded Kafka broker
 * ({@link EmbeddedKafka}) with all topics, finds or generates the pseudonym key ({@link
 * PseudonymKey}), and runs the job on a Flink MiniCluster with the web UI, fed by
 *
 * <ul>
 *   <li>{@code --dataset KIND:PATH --bounded --output-dir DIR}: the datasets, replayed completely
 *       first; the job then reads them to the end and finishes; the output topics are written to
 *       {@code DIR} ({@link OutputFiles}) and summarised; exit code 0;
 *   <li>{@code --dataset KIND:PATH}: the job starts, the datasets are replayed (paced with {@code
 *       --speedup}), then a live status line every 2 s until Ctrl-C;
 *   <li>nothing: a demo traffic generator, and the live status until Ctrl-C.
 * </ul>
 *
 * <p>Every job option applies ({@link JobOptions} is a mixin), except that {@code
 * --bootstrap-servers} is the embedded broker's, and that {@code --alerts.max-age} defaults to 0
 * (off) with {@code --dataset}: a replay of history would otherwise hold back every alert. Exit codes: 0 done, 1 failed (with a message), 2
 * usage error. Ctrl-C cancels the job, stops the generator and the broker; it is the normal end of a
 * live run (exit code 0, {@link CtrlC}) and interrupts a bounded one (130, the JVM's).
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "Attention Analytics 0.1.0",
        description =
                "Run everything locally: embedded Kafka, the job on a Flink MiniCluster with web UI, and a dataset replay or demo traffic.")
public class LocalCommand implements Callable<Integer> {
    /** Parallelism (and task slots) when {@code --parallelism} is left at -1. */
    public static final int DEFAULT_PARALLELISM = 2;
    /** Managed memory of the MiniCluster's task manager (RocksDB). */
    public static final MemorySize MANAGED_MEMORY = MemorySize.parse("256m");

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions options = new JobOptions();

    /** {@code --dataset KIND:PATH} and the other replay options; without a dataset: demo traffic. */
    @Mixin
    ReplayOptions replay = new ReplayOptions();

    @Option(names = "--output-dir", description = "With --bounded: directory for <topic>.jsonl and summary.json.")
    Path outputDir;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "YAML file of options (keys: option names without dashes, e.g. 'inactivity-gap: 20 min'). Command-line values win.")
    String config;

    @Option(
            names = "--schema-registry",
            description =
                    "Also start a schema registry (Apicurio Registry, in memory) on a free loopback port and use it as "
                            + "--schema-registry-url; implied by --output-format avro-registry without a URL.")
    boolean schemaRegistry;

    @Option(
            names = "--web-port",
            defaultValue = "8081",
            description = "Port of the Flink web UI. Default: ${DEFAULT-VALUE}")
    int webPort;

    @Option(
            names = "--partitions",
            defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            description = "Partitions of every topic. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(
            names = "--state-dir",
            defaultValue = ".attention",
            description = "Directory for checkpoints and the generated pseudonym key. Default: ${DEFAULT-VALUE}")
    Path stateDir;

    @Option(
            names = "--demo-users",
            defaultValue = "5000",
            description = "Demo traffic: simulated users. Default: ${DEFAULT-VALUE}")
    int demoUsers;

    @Option(
            names = "--demo-rate",
            defaultValue = "0",
            description =
                    "Demo traffic: target events per second over all users; 0: the users' natural pace (about 27/s per 1,000 users). Default: ${DEFAULT-VALUE}")
    double demoRate;

    /** {@code --schema-registry-url} until the embedded registry runs ({@link #startsRegistry}). */
    static final String EMBEDDED_REGISTRY = "http://embedded.schema.registry";

    private volatile boolean stoppedByUser;
    /** Set by {@link #measuringState}: the bounded run executes through it. */
    private StateSizeRun stateRun;

    private final DatasetPublisher publisher;
    private final Supplier<? extends TrafficSource> trafficSources;
    private final BiConsumer<StreamExecutionEnvironment, JobOptions> workflow;

    /** The command as {@code bin/attention} registers it, with the replay tool and the demo generator bound. */
    public LocalCommand() {
        this(DatasetPublisher.KAFKA_REPLAY, DemoTrafficSource::new);
    }

    /**
     * @param publisher replays {@code --dataset}s
     * @param trafficSources makes the demo traffic generator (called at most once per run)
     */
    public LocalCommand(DatasetPublisher publisher, Supplier<? extends TrafficSource> trafficSources) {
        this(publisher, trafficSources, (env, o) -> AttentionJob.defineWorkflow(env, o, JobIo.KAFKA));
    }

    /** For tests: a different graph than the job's. */
    LocalCommand(
            DatasetPublisher publisher,
            Supplier<? extends TrafficSource> trafficSources,
            BiConsumer<StreamExecutionEnvironment, JobOptions> workflow) {
        this.publisher = publisher;
        this.trafficSources = trafficSources;
        this.workflow = workflow;
    }

    /**
     * For {@code bin/attention evaluate}: a bounded run then executes without operator chaining and
     * keeps the checkpointed state bytes of the operators with these uids from its final
     * checkpoint ({@link StateSizeRun}), for {@link #stateBytes} after {@link #call}.
     *
     * @return this
     */
    public LocalCommand measuringState(Collection<String> uids) {
        this.stateRun = new StateSizeRun(uids);
        return this;
    }

    /** After a bounded run with {@link #measuringState}: bytes per uid found; else empty. */
    public Map<String, Long> stateBytes() {
        return stateRun == null ? Map.of() : stateRun.bytesByUid();
    }

    /** @return whether the run starts its own schema registry: {@code --schema-registry}, or avro-registry output without a URL */
    boolean startsRegistry() {
        return schemaRegistry
                || options.outputFormat == OutputFormat.AVRO_REGISTRY
                        && (options.schemaRegistryUrl == null || options.schemaRegistryUrl.isBlank());
    }

    /** The job options as parsed (and completed by the run), e.g. the output topics' names. */
    public JobOptions jobOptions() {
        return options;
    }

    /**
     * Runs until the bounded job finishes or Ctrl-C.
     *
     * @return 0 when done, 1 when something failed (the message is printed)
     * @throws ParameterException for inconsistent options (picocli prints usage, exit code 2)
     */
    @Override
    public Integer call() {
        LocalUsageChecks.validate(this);
        if (replay.dataset != null && replay.dataset.kind() == DatasetKind.SNOWPLOW) {
            options.snowplow = true; // implied: the replay publishes to --topic.snowplow, read by the Snowplow door
        }
        if (replay.dataset == null && !spec.commandLine().getParseResult().hasMatchedOption("--recs.enabled")) {
            options.recsEnabled = true; // the demo shows the personas' recommendations unless told not to
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--live.enabled")) {
            options.liveEnabled = true; // small inputs: the live topic's cost does not matter here
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Run run = new Run(out)) {
            Thread hook = new Thread(run::interrupt, "attention-local-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            // Ctrl-C is how a live run normally ends: exit code 0; it interrupts a bounded run (130)
            Runnable restoreCtrlC = options.bounded ? () -> {} : CtrlC.stopsWithExitZero(run::interrupt);
            try {
                return options.bounded ? run.bounded() : run.continuous();
            } finally {
                restoreCtrlC.run();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is running
                }
            }
        } catch (Exception e) {
            if (stoppedByUser) {
                return 0; // Ctrl-C tore the broker and job down under the running step: not a failure
            }
            LocalConsole.failure(err, e, System.getenv("ATTENTION_DEBUG") != null);
            return 1;
        }
    }

    /** One run's resources; {@link #close()} releases them in reverse order, also from the Ctrl-C hook. */
    private final class Run implements AutoCloseable {
        private final CountDownLatch interrupted = new CountDownLatch(1);
        private final PrintWriter out;
        private EmbeddedKafka kafka;
        private SchemaRegistryServer registry;
        private JobClient job;
        private TrafficSource traffic;
        private boolean closed;

        Run(PrintWriter out) {
            this.out = out;
        }

        Integer bounded() throws Exception {
            start();
            replay.speedup = 0; // a bounded run replays everything first, as fast as possible
            ReplayResult published = publisher.publish(replay, producerProperties(), options, true);
            out.printf(
                    "Replayed %s (%,d rows skipped%s)%s. Running the job to the end of the input...%n",
                    ReplayCounts.events(published),
                    published.skippedRows(),
                    ReplayCounts.skipReasons(published),
                    ReplayCounts.controls(published));
            out.flush();
            StreamExecutionEnvironment env = environment();
            JobExecutionResult result = stateRun == null
                    ? env.execute(options.jobName)
                    : stateRun.execute(
                            env, LocalClusterConfig.of(options, webPort), options.parallelism, options.jobName);
            long duplicates = LiveStatus.asLong(result.getAccumulatorResult(PipelineCounters.DUPLICATES));
            long duplicateViews = LiveStatus.asLong(result.getAccumulatorResult(PipelineCounters.DUPLICATE_VIEWS));
            long bots = LiveStatus.asLong(result.getAccumulatorResult(PipelineCounters.BOTS));
            RunSummary summary = OutputFiles.write(options, outputDir, duplicates, duplicateViews, bots, published);
            out.printf(
                    "Job finished in %,d ms. Output files in %s:%n%s",
                    result.getNetRuntime(), outputDir.toAbsolutePath(), summary.toTable());
            out.flush();
            return 0;
        }

        Integer continuous() throws Exception {
            start();
            job = environment().executeAsync(options.jobName);
            out.println("Job " + job.getJobID() + " started.");
            if (replay.dataset != null) {
                ReplayResult published = publisher.publish(replay, producerProperties(), options, true);
                out.printf(
                        "Replayed %s (%,d rows skipped%s)%s.%n",
                        ReplayCounts.events(published),
                        published.skippedRows(),
                        ReplayCounts.skipReasons(published),
                        ReplayCounts.controls(published));
            } else {
                synchronized (this) {
                    traffic = trafficSources.get();
                }
                traffic.start(options.bootstrapServers, options, demoUsers, demoRate);
                out.printf(
                        demoRate > 0
                                ? "Demo traffic: %,d users, up to about %,.0f events/s.%n"
                                : "Demo traffic: %,d users at their natural pace.%n",
                        demoUsers,
                        demoRate);
                if (options.snowplow) {
                    out.println(
                            "  as Snowplow enriched events to " + options.snowplowTopic + " (and the demo's catalog)");
                }
            }
            out.println("Press Ctrl-C to stop.");
            out.flush();
            return liveStatus();
        }

        /** The live status until Ctrl-C or the job's end ({@link LiveStatusLoop}). */
        private int liveStatus() throws Exception {
            return new LiveStatusLoop(out, options, job, interrupted, replay.dataset == null, webUiUrl()).run();
        }

        private void start() throws IOException {
            Path state = stateDir.toAbsolutePath();
            Files.createDirectories(state);
            PseudonymKey.Location key = PseudonymKey.resolve(options.pseudonymKeyFile, System.getenv(), state);
            if (key.file() != null) {
                options.pseudonymKeyFile = key.file().toString();
            }
            if (options.checkpointDir == null) {
                options.checkpointDir = state.resolve("checkpoints").toUri().toString();
            }
            out.println("Starting the embedded Kafka broker...");
            out.flush();
            EmbeddedKafka started = EmbeddedKafka.start();
            synchronized (this) {
                kafka = started;
            }
            options.bootstrapServers = kafka.bootstrapServers();
            if (EMBEDDED_REGISTRY.equals(options.schemaRegistryUrl)) {
                out.println("Starting the schema registry...");
                out.flush();
                SchemaRegistryServer startedRegistry = SchemaRegistryServer.start();
                synchronized (this) {
                    registry = startedRegistry;
                }
                options.schemaRegistryUrl = registry.url();
            }
            try (Admin admin = Admin.create(producerProperties())) {
                Topics.createAll(admin, options, partitions);
            }
            LocalConsole.banner(out, options, webUiUrl(), key.description(), registry != null, partitions);
        }

        private StreamExecutionEnvironment environment() {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(LocalClusterConfig.of(options, webPort));
            workflow.accept(env, options);
            return env;
        }

        private Properties producerProperties() {
            Properties props = new Properties();
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
            props.putAll(options.kafkaProperties);
            return props;
        }

        /** Ctrl-C or shutdown: wakes the status loop, then releases everything. */
        void interrupt() {
            stoppedByUser = true;
            interrupted.countDown();
            out.println();
            out.println("Stopping: cancelling the job, stopping the broker...");
            out.flush();
            close();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (traffic != null) {
                traffic.close();
            }
            if (job != null) {
                try {
                    job.cancel().get(15, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // already finished, failed or gone with the MiniCluster: nothing left to cancel
                }
            }
            if (kafka != null) {
                kafka.close();
            }
            if (registry != null) {
                registry.close();
            }
        }
    }

    private String webUiUrl() {
        return "http://localhost:" + webPort;
    }
}
