package org.attentionanalytics.replay;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.attentionanalytics.job.KafkaClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: publishes a dataset file's events to the job's input topics in event-time order
 * (see {@link DatasetReplay}), after the content catalog ({@code --catalog}) if given, and prints a
 * one-line summary per file on stdout. Either option alone is fine: {@code --catalog} without
 * {@code --dataset} publishes (or updates) only the catalog. Kafka client properties pass
 * through as {@code --kafka.<property>=<value>}: run it with {@link #run(String...)}, which takes
 * them out of the arguments ({@link KafkaArgs}) before picocli parses; when the command is built
 * elsewhere, give them to {@link #ReplayCommand(Map)}.
 *
 * <p>While Kafka is away, at the start or in the middle, the replay waits and retries up to {@code
 * --max-wait}, with a line on stderr about what it waits for (see {@link
 * org.attentionanalytics.replay.KafkaWait}).
 *
 * <p>Exit codes: 0 done; 2 invalid options or a file that does not fit its kind or does not parse
 * (message and usage on stderr); 1 any other failure (e.g. more skipped rows than {@code
 * --max-skipped}, or Kafka away for longer than {@code --max-wait}).
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        version = "Attention Analytics 0.1.0",
        description = {
            "Replays a public clickstream dataset file into Kafka: ClickEvents to the clickstream topic, DwellEvents to the dwell-time topic "
                    + "(keyed by the raw user id), or Snowplow events to the Snowplow topic, all in event-time order.",
            "A snowplow dataset (enriched TSV, or a warehouse CSV with atomic-event column names) goes to the Snowplow topic "
                    + "as enriched TSV lines, in event-time order, keyed by domain_userid (else user_id, network_userid, event_id).",
            "A content catalog (--catalog csv:PATH) is published first, to the catalog topic keyed by item_id; --catalog alone publishes only the catalog.",
            "Budgets (--budgets csv:PATH) and focus blocks (--focus-blocks csv:PATH) follow, keyed by user_id; erasure requests "
                    + "(--erasures csv:PATH) go among the events in event-time order.",
            "A row that gives no event (no user, bad time, ...) is skipped and counted with its reason; more skipped rows than "
                    + "--max-skipped (default 0), or no event at all, fail the replay before anything is published.",
            "Kafka client properties: --kafka.<property>=<value>."
        },
        sortOptions = false)
public class ReplayCommand implements Callable<Integer>, KafkaClientCommand {

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(
            names = "--topic.clickstream",
            defaultValue = "clickstream",
            paramLabel = "TOPIC",
            description = "Topic of ClickEvents. Default: ${DEFAULT-VALUE}")
    String clickTopic;

    @Option(
            names = "--topic.snowplow",
            defaultValue = ReplayTopics.DEFAULT_SNOWPLOW,
            paramLabel = "TOPIC",
            description = "Topic of Snowplow enriched lines (--dataset snowplow:PATH). Default: ${DEFAULT-VALUE}")
    String snowplowTopic;

    @Option(
            names = "--topic.dwell-time",
            defaultValue = "dwell-time",
            paramLabel = "TOPIC",
            description = "Topic of DwellEvents. Default: ${DEFAULT-VALUE}")
    String dwellTopic;

    @Option(
            names = "--topic.catalog",
            defaultValue = "content-catalog",
            paramLabel = "TOPIC",
            description = "Topic of ContentProfiles (--catalog). Default: ${DEFAULT-VALUE}")
    String catalogTopic;

    @Option(
            names = "--topic.budgets",
            defaultValue = "attention-budgets",
            paramLabel = "TOPIC",
            description = "Topic of AttentionBudgets (--budgets). Default: ${DEFAULT-VALUE}")
    String budgetsTopic;

    @Option(
            names = "--topic.focus-blocks",
            defaultValue = ReplayTopics.DEFAULT_FOCUS_BLOCKS,
            paramLabel = "TOPIC",
            description = "Topic of FocusBlocks (--focus-blocks). Default: ${DEFAULT-VALUE}")
    String focusBlocksTopic;

    @Option(
            names = "--topic.privacy-requests",
            defaultValue = "privacy-requests",
            paramLabel = "TOPIC",
            description = "Topic of ErasureRequests (--erasures). Default: ${DEFAULT-VALUE}")
    String privacyRequestsTopic;

    @Option(
            names = "--progress",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Show a progress bar on stderr (--no-progress: none). Default: true")
    boolean progress;

    @Mixin
    ReplayOptions replay;

    @Spec
    CommandSpec spec;

    private final Map<String, String> kafkaProperties = new LinkedHashMap<>();

    /** A command without pass-through Kafka properties (as picocli instantiates subcommand classes). */
    public ReplayCommand() {
        this(Map.of());
    }

    /** A command with these pass-through Kafka client properties (names without {@code kafka.}). */
    public ReplayCommand(Map<String, String> kafkaProperties) {
        this.kafkaProperties.putAll(kafkaProperties);
    }

    @Override
    public void addKafkaProperties(Map<String, String> properties) {
        kafkaProperties.putAll(properties);
    }

    /**
     * Replays and prints e.g. {@code replay ebnerd-history:history_flat.csv: 8303 rows read, 8303
     * clicks -> clickstream, 8303 dwells -> dwell-time, 0 rows skipped, 2.1 s} (skipped rows with
     * their reasons, e.g. {@code 2 rows skipped (no_user 2)}). A dataset that skips more rows than
     * {@code --max-skipped}, or gives no event, fails with exit code 1 and a message naming the file
     * and its first skipped rows; nothing is published then.
     *
     * @return 0
     * @throws ParameterException when the dataset cannot be read or does not fit its kind
     */
    @Override
    public Integer call() throws Exception {
        if (replay.dataset == null
                && replay.catalog == null
                && replay.budgets == null
                && replay.erasures == null
                && replay.focusBlocks == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing required option: '--dataset=KIND:PATH' (or '--catalog=csv:PATH', '--budgets=csv:PATH', "
                            + "'--erasures=csv:PATH', '--focus-blocks=csv:PATH')");
        }

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(kafkaProperties); // an explicit --kafka.bootstrap.servers wins
        long start = System.nanoTime();
        ReplayResult r;
        try {
            r = DatasetReplay.replay(
                    replay,
                    props,
                    new ReplayTopics(
                            clickTopic,
                            dwellTopic,
                            catalogTopic,
                            budgetsTopic,
                            privacyRequestsTopic,
                            snowplowTopic,
                            focusBlocksTopic),
                    progress,
                    spec.commandLine().getErr());
        } catch (IOException | IllegalArgumentException e) {
            Object what = replay.dataset != null
                    ? replay.dataset
                    : replay.catalog != null
                            ? replay.catalog
                            : replay.budgets != null
                                    ? replay.budgets
                                    : replay.erasures != null ? replay.erasures : replay.focusBlocks;
            throw new ParameterException(spec.commandLine(), "replay " + what + ": " + e.getMessage(), e);
        }
        var out = spec.commandLine().getOut();
        if (replay.catalog != null) {
            out.printf(
                    Locale.ROOT,
                    "catalog %s: %d items -> %s, %d malformed rows skipped%n",
                    replay.catalog,
                    r.catalogItems(),
                    catalogTopic,
                    r.catalogSkippedRows());
        }
        if (replay.budgets != null) {
            out.printf(Locale.ROOT, "budgets %s: %d budgets -> %s%n", replay.budgets, r.budgets(), budgetsTopic);
        }
        if (replay.focusBlocks != null) {
            out.printf(
                    Locale.ROOT,
                    "focus blocks %s: %d focus-block records -> %s%n",
                    replay.focusBlocks,
                    r.focusBlocks(),
                    focusBlocksTopic);
        }
        if (replay.erasures != null) {
            out.printf(
                    Locale.ROOT,
                    "erasures %s: %d erasure requests -> %s%n",
                    replay.erasures,
                    r.erasures(),
                    privacyRequestsTopic);
        }
        if (replay.dataset != null && replay.dataset.kind() == DatasetKind.SNOWPLOW) {
            out.printf(
                    Locale.ROOT,
                    "replay %s: %d rows read, %d Snowplow events -> %s, %d rows skipped%s, %.1f s%n",
                    replay.dataset,
                    r.rows(),
                    r.snowplowLines(),
                    snowplowTopic,
                    r.skippedRows(),
                    r.skippedRows() == 0 ? "" : " (" + r.describeSkipped() + ")",
                    (System.nanoTime() - start) / 1e9);
        } else if (replay.dataset != null) {
            out.printf(
                    Locale.ROOT,
                    "replay %s: %d rows read, %d clicks -> %s, %d dwells -> %s, %d rows skipped%s, %.1f s%n",
                    replay.dataset,
                    r.rows(),
                    r.clicks(),
                    clickTopic,
                    r.dwells(),
                    dwellTopic,
                    r.skippedRows(),
                    r.skippedRows() == 0 ? "" : " (" + r.describeSkipped() + ")",
                    (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
