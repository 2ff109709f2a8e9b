package org.attentionanalytics.job;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Every option of the job, in one place: name, default and description. Used as a picocli mixin by
 * {@code bin/attention run} (the job's {@code main}) and {@code bin/attention local}, so
 * {@code --help} lists them; a YAML file given with {@code --config FILE} can set any of them
 * (keys are the option names without the leading dashes, command-line values win); {@link
 * #toConfigMap()} puts them into the job's global parameters, which the Flink web UI shows under
 * the job's configuration.
 *
 * <p>Durations are read by Flink's {@link TimeUtils#parseDuration} ({@code 30 s}, {@code 5min},
 * {@code 12h}, {@code 7 d}, ISO-8601 {@code PT30M}; a bare number is milliseconds), with a leading
 * minus for a negative one, which the option checks then refuse by name. Kafka client properties pass through as {@code --kafka.<property>=<value>} and
 * are collected in {@link #kafkaProperties}, applied to every source and sink.
 */
public class JobOptions extends RecommendationOptions {
    private static final long serialVersionUID = 1L;

    /** Defaults that other commands show or use too ({@code bench}, the live demo). */
    public static final String OUT_OF_ORDERNESS = "30 s";

    public static final String CHECKPOINT_INTERVAL = "10 s";
    public static final String ALERTS_MAX_AGE = "1 h";

    // ---- Time (DESIGN.md section 4) ----
    @Option(
            names = "--out-of-orderness",
            defaultValue = OUT_OF_ORDERNESS,
            converter = DurationConverter.class,
            description = "Bounded out-of-orderness of the watermarks, per partition. Default: ${DEFAULT-VALUE}")
    public Duration outOfOrderness;

    @Option(
            names = "--watermark-interval",
            converter = DurationConverter.class,
            description =
                    "How often the sources emit watermarks (pipeline.auto-watermark-interval). Events wait for the "
                            + "watermark, so a low-latency setup lowers it with --out-of-orderness (BENCHMARKS.md). Default: Flink's, 200 ms.")
    public Duration watermarkInterval;

    @Option(
            names = "--buffer-timeout",
            converter = DurationConverter.class,
            description =
                    "Longest time a record waits in a network buffer before it is sent on (execution.buffer-timeout.interval); "
                            + "lower is faster to emit, higher is cheaper per record. Default: Flink's, 100 ms.")
    public Duration bufferTimeout;

    @Option(
            names = "--idleness",
            defaultValue = "1 min",
            converter = DurationConverter.class,
            description =
                    "A partition silent this long (processing time) no longer holds the watermark back. Default: ${DEFAULT-VALUE}")
    public Duration idleness;

    @Option(
            names = "--max-watermark-drift",
            defaultValue = "1 min",
            converter = DurationConverter.class,
            description =
                    "Watermark alignment of the event topics: a source whose watermark is this far ahead of the slowest "
                            + "one pauses, so a backlog is read in step instead of one topic's events waiting in memory "
                            + "for the other's; 0 s turns it off. Default: ${DEFAULT-VALUE}")
    public Duration maxWatermarkDrift;

    @Option(
            names = "--max-future",
            defaultValue = "10 min",
            converter = DurationConverter.class,
            description =
                    "Events further ahead of the processing clock are FUTURE_TIMESTAMP dead letters. Default: ${DEFAULT-VALUE}")
    public Duration maxFuture;

    @Option(
            names = "--allowed-lateness",
            defaultValue = "5 min",
            converter = DurationConverter.class,
            description =
                    "Events behind the watermark by at most this still update sessions; older ones are TOO_LATE dead letters. Default: ${DEFAULT-VALUE}")
    public Duration allowedLateness;

    @Option(
            names = "--dedupe-window",
            defaultValue = "1 h",
            converter = DurationConverter.class,
            description =
                    "Events with the same event_id for the same user within this much event time are duplicates. Default: ${DEFAULT-VALUE}")
    public Duration dedupeWindow;

    // ---- Interest vectors and topics (DESIGN.md sections 2 and 6) ----
    @Option(
            names = "--half-life",
            defaultValue = "7 d",
            converter = DurationConverter.class,
            description = "Half-life of the interest vector's decay in event time. Default: ${DEFAULT-VALUE}")
    public Duration halfLife;

    @Option(
            names = "--topic-depth",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Keep the first N dot-separated segments of topic codes, inline and from the catalog "
                            + "(2: appliances.kitchen.kettle -> appliances.kitchen); 0 keeps them whole. Default: ${DEFAULT-VALUE}")
    public int topicDepth;

    // ---- Attention metrics, alerts and daily reports (DESIGN.md sections 5, 7 and 8) ----
    @Option(
            names = "--category-rules",
            paramLabel = "FILE",
            description =
                    "File of topic -> category rules (prefix:... or regex:..., most specific match wins; see README). Default: the built-in rules for news and shopping topics.")
    public String categoryRulesFile;

    @Option(
            names = "--default-time-zone",
            defaultValue = "UTC",
            description =
                    "IANA zone of the daily reports and budgets of users whose budget and events carry no time_zone. Default: ${DEFAULT-VALUE}")
    public String defaultTimeZone;

    @Option(
            names = "--view-settle",
            converter = DurationConverter.class,
            description =
                    "A view is classified (skim or not) once an event this much after its end is applied, or at session close. Default: the --out-of-orderness bound.")
    public Duration viewSettle;

    @Option(
            names = "--break-gap",
            defaultValue = "5 min",
            converter = DurationConverter.class,
            description =
                    "A stretch this long covered by neither an event nor a dwell interval is a break (continuous_ms restarts). Default: ${DEFAULT-VALUE}")
    public Duration breakGap;

    @Option(
            names = "--alerts.overload.views",
            defaultValue = "30",
            description =
                    "INFORMATION_OVERLOAD: at least this many views started in the 10-minute window. Default: ${DEFAULT-VALUE}")
    public int overloadViews;

    @Option(
            names = "--alerts.overload.skim-ratio",
            defaultValue = "0.6",
            description =
                    "INFORMATION_OVERLOAD: and at least this share (0..1) of the views ended in the window were skims (< 10 s engaged). Default: ${DEFAULT-VALUE}")
    public double overloadSkimRatio;

    @Option(
            names = "--alerts.overload.topic-switches",
            defaultValue = "10",
            description =
                    "INFORMATION_OVERLOAD: and at least this many topic switches in the window. Default: ${DEFAULT-VALUE}")
    public int overloadTopicSwitches;

    @Option(
            names = "--alerts.overload.cooldown",
            defaultValue = "30 min",
            converter = DurationConverter.class,
            description =
                    "INFORMATION_OVERLOAD: at most one per user per this much event time. Default: ${DEFAULT-VALUE}")
    public Duration overloadCooldown;

    @Option(
            names = "--alerts.break.after",
            defaultValue = "50 min",
            converter = DurationConverter.class,
            description =
                    "TAKE_A_BREAK: continuous use (no break of --break-gap) of at least this long; once until the next break. Default: ${DEFAULT-VALUE}")
    public Duration breakAfter;

    @Option(
            names = "--alerts.max-age",
            converter = DurationConverter.class,
            description =
                    "Alerts whose event time is further behind the processing clock are counted (alertsSuppressedAge), not sent; 0 sends all. Default: "
                            + ALERTS_MAX_AGE + "; 0 for 'local --dataset' (a replay of history).")
    public Duration alertsMaxAge;

    @Option(
            names = "--alerts.distraction.after",
            defaultValue = "5 min",
            converter = DurationConverter.class,
            description =
                    "DISTRACTED_IN_FOCUS_BLOCK: engaged time in distraction-class categories inside one focus block of at least this long; once per block. Default: ${DEFAULT-VALUE}")
    public Duration distractionAfter;

    @Option(
            names = "--alerts.max-per-day",
            defaultValue = "10",
            description =
                    "Alerts sent to one user per local day at most (fatigue control); more are counted (alertsCapped), not sent; 0: no cap. Default: ${DEFAULT-VALUE}")
    public int maxAlertsPerDay;

    // ---- Privacy and bots (DESIGN.md sections 3 and 9) ----
    @Option(
            names = "--pseudonym-key-file",
            description =
                    "File whose bytes (one trailing newline stripped) are the HMAC key of the pseudonyms. Else the environment variable ATTENTION_PSEUDONYM_KEY.")
    public String pseudonymKeyFile;

    @Option(
            names = "--dlq.redact",
            defaultValue = "true",
            arity = "1",
            description =
                    "Keep PII out of the dead-letter topic: decodable records are re-encoded without the PII fields, undecodable ones keep only hash and length. Default: ${DEFAULT-VALUE}")
    public boolean dlqRedact;

    @Option(
            names = "--state-ttl",
            defaultValue = "30 d",
            converter = DurationConverter.class,
            description = "Retention of the per-user state: a user's state expires this long after it was last written "
                    + "(an event or timer of that user), in PROCESSING time (the wall clock), not event time; 0 disables. "
                    + "Also the retention.ms of the per-user output topics (interest-vectors, attention-sessions, -page-views, -alerts, "
                    + "-reports) "
                    + "that create-topics and local make. Default: ${DEFAULT-VALUE}")
    public Duration stateTtl;

    @Option(
            names = "--state-cache-users",
            defaultValue = "-1",
            paramLabel = "N",
            description =
                    "Users whose state the per-user operator keeps on the heap between checkpoints, per subtask, written "
                            + "back to RocksDB before each checkpoint barrier (a user's events and timers between two checkpoints then cost "
                            + "one read and one write). 0: every event and timer reads and writes RocksDB, and events ahead of the "
                            + "watermark are written as they arrive. Default: -1, as many as fit in 40 %% of the JVM heap, shared by the TaskManager's slots, at about 5 KB a user.")
    public int stateCacheUsers;

    @Option(
            names = "--bot-rules",
            description =
                    "Bots are what the Yauaa user agent analyzer classifies as robots, crawlers, headless browsers, HTTP libraries or hackers; this optional file adds regular expressions on top (e.g. your own crawlers), one per line, matched case-insensitively anywhere in user_agent (# starts a comment). Default: none, Yauaa alone.")
    public String botRulesFile;

    @Option(
            names = "--trends.epsilon",
            defaultValue = "1.0",
            description =
                    "Differential privacy: epsilon of one 1-hour topic-trends window (users and engaged minutes together, half each); a user active in k windows is covered by k * epsilon. Default: ${DEFAULT-VALUE}")
    public double trendsEpsilon;

    @Option(
            names = "--trends.min-users",
            defaultValue = "20",
            description =
                    "Topic trends: categories whose noisy user count is below this are not published. Default: ${DEFAULT-VALUE}")
    public long trendsMinUsers;

    // ---- Operations (DESIGN.md section 10) ----
    @Option(
            names = "--checkpoint-interval",
            defaultValue = CHECKPOINT_INTERVAL,
            converter = DurationConverter.class,
            description = "Checkpoint interval; sink transactions commit on each checkpoint. Default: ${DEFAULT-VALUE}")
    public Duration checkpointInterval;

    @Option(
            names = "--checkpoint-dir",
            description =
                    "Checkpoint storage URI (file://, s3://). Default: the cluster's execution.checkpointing.dir.")
    public String checkpointDir;

    @Option(
            names = "--transaction-timeout",
            defaultValue = "15 min",
            converter = DurationConverter.class,
            description =
                    "transaction.timeout.ms of the exactly-once sinks: at most the broker's transaction.max.timeout.ms (15 min by default). Default: ${DEFAULT-VALUE}")
    public Duration transactionTimeout;

    @Option(
            names = "--transactional-id-prefix",
            defaultValue = "attention-analytics",
            description =
                    "Prefix of the sinks' transactional ids; each sink appends its own constant suffix. Keep it constant across restarts. Default: ${DEFAULT-VALUE}")
    public String transactionalIdPrefix;

    @Option(
            names = "--parallelism",
            defaultValue = "-1",
            description = "Job parallelism; -1 takes the cluster's default.")
    public int parallelism;

    @Option(
            names = "--job-name",
            defaultValue = "Attention Analytics",
            description = "Name of the Flink job. Default: ${DEFAULT-VALUE}")
    public String jobName;

    /** Default of {@code --alerts.max-age} for {@code run} and the live local demo. */
    public static final Duration DEFAULT_ALERTS_MAX_AGE = parseDuration(ALERTS_MAX_AGE);

    /** @return every option at its default, as a command line without arguments gives them */
    public static JobOptions defaults() {
        JobOptions options = new JobOptions();
        new CommandLine(options).parseArgs();
        return options;
    }

    /** @return {@code --alerts.max-age}, or its default ({@value #ALERTS_MAX_AGE}) when not given */
    public Duration alertsMaxAge() {
        return alertsMaxAge != null ? alertsMaxAge : DEFAULT_ALERTS_MAX_AGE;
    }

    /** @return {@code --view-settle}, or the out-of-orderness bound when not given */
    public Duration viewSettle() {
        return viewSettle != null ? viewSettle : outOfOrderness;
    }

    /** The writer schemas of {@link #writerSchemasDir} as read once for a graph ({@link OptionChecks#writerSchemas}). */
    record LoadedSchemas(String dir, java.util.List<String> texts) implements Serializable {}

    /** Not an option: what {@link OptionChecks#writerSchemas} read, so the doors do not read the directory again. */
    transient LoadedSchemas loadedWriterSchemas;

    /** Kafka client properties from {@code --kafka.<property>=<value>}, for every source and sink. */
    public final Map<String, String> kafkaProperties = new TreeMap<>();

    /** All options by name (without dashes), with the Kafka properties as {@code kafka.<property>}. */
    public Map<String, String> toConfigMap() {
        Map<String, String> out = new LinkedHashMap<>();
        CommandSpec spec = CommandSpec.forAnnotatedObject(this);
        for (OptionSpec o : spec.options()) {
            Object v = o.getValue();
            if (v != null) {
                out.put(o.longestName().replaceFirst("^--", ""), String.valueOf(v));
            }
        }
        kafkaProperties.forEach((k, v) -> out.put("kafka." + k, v));
        return out;
    }

    /** Converts Flink's memory size notation ({@code 256 kb}, {@code 1mb}, {@code 262144}) to a number of bytes. */
    public static final class BytesConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long bytes;
            try {
                bytes = org.apache.flink.configuration.MemorySize.parse(value).getBytes();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a size: '" + value + "' (examples: 256 kb, 1 mb, 262144)", e);
            }
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(value + " is more than 2 GB");
            }
            return (int) bytes;
        }
    }

    /** Converts a duration ({@link #parseDuration}). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    /**
     * @param text a duration as {@link TimeUtils#parseDuration} reads it, or one with a minus before its number
     * @throws IllegalArgumentException naming the text and giving examples
     */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        boolean negative = t.length() > 1 && t.charAt(0) == '-' && Character.isDigit(t.charAt(1));
        try {
            Duration d = TimeUtils.parseDuration(negative ? t.substring(1) : t);
            return negative ? d.negated() : d;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "not a duration: '" + text + "' (examples: 30 s, 5 min, 12 h, PT30M)", e);
        }
    }
}
