package org.attentionanalytics.job;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.io.DoorLimits;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.io.OutputFormat;
import org.attentionanalytics.io.SchemaRegistrySettings;
import org.attentionanalytics.io.WriterSchemas;
import org.attentionanalytics.recommend.RecsSettings;

/**
 * The job's options checked before anything starts, each failure an {@link
 * IllegalArgumentException} whose message names the option and says what to change; and the
 * values several parts of the graph derive from the options (the door limits, the writer schemas,
 * the sinks' transaction timeout).
 */
final class OptionChecks {
    /** Largest {@code --live.min-interval}. */
    static final java.time.Duration MAX_LIVE_MIN_INTERVAL = java.time.Duration.ofHours(1);

    private OptionChecks() {}

    /**
     * Checks options that would otherwise fail late and obscurely.
     *
     * @throws IllegalArgumentException with a message that says what to change
     */
    /** The longest recommendation list, {@code --recs.size}. */
    static final int MAX_RECS_SIZE = 1000;

    /** The largest weight of a recommendation source, {@code --recs.weight.*}. */
    static final double MAX_WEIGHT = 1_000_000;
    /** The smallest weight above 0 of a recommendation source: the ratio of the two bounds is 10^12. */
    static final double MIN_WEIGHT = 1e-6;

    static void validate(JobOptions options) {
        distinctTopics(options);
        registry(options);
        Duration timeout = transactionTimeout(options);
        if (timeout.compareTo(AttentionJob.MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException("transaction.timeout.ms is " + timeout.toMillis()
                    + " ms, above the Kafka broker default transaction.max.timeout.ms of 900000 ms (15 min): the sinks "
                    + "could not start. Use --transaction-timeout of at most 15 min.");
        }
        if (timeout.compareTo(options.checkpointInterval) <= 0) {
            throw new IllegalArgumentException(
                    "--transaction-timeout (" + timeout + ") must be longer than " + "--checkpoint-interval ("
                            + options.checkpointInterval + "): transactions commit on checkpoints.");
        }
        positive("--inactivity-gap", options.inactivityGap);
        positive("--max-session-duration", options.maxSessionDuration);
        positive("--heartbeat", options.heartbeat);
        notNegative("--min-visit", options.minVisit);
        options.engagedRule(); // --engaged.*: min-views and min-time not negative, known event types
        positive("--dedupe-window", options.dedupeWindow);
        positive("--idleness", options.idleness);
        notNegative("--max-watermark-drift", options.maxWatermarkDrift);
        if (options.watermarkInterval != null) {
            positive("--watermark-interval", options.watermarkInterval); // 0 would turn periodic watermarks off
        }
        if (options.bufferTimeout != null) {
            notNegative("--buffer-timeout", options.bufferTimeout);
        }
        positive("--half-life", options.halfLife);
        positive("--recs.half-life", options.recsHalfLife);
        notNegative("--recs.min-interval", options.recsMinInterval);
        notNegative("--live.min-interval", options.liveMinInterval);
        notNegative("--live.linger", options.liveLinger);
        if (options.liveMinInterval.compareTo(MAX_LIVE_MIN_INTERVAL) > 0) {
            throw new IllegalArgumentException(
                    "--live.min-interval must be at most " + MAX_LIVE_MIN_INTERVAL.toMinutes()
                            + " min (the live topic is for values within seconds; the final topics hold the rest), not "
                            + options.liveMinInterval);
        }
        notNegative("--recs.exclude-viewed-within", options.recsExcludeViewedWithin);
        atLeastOne("--recs.size", options.recsSize);
        if (options.recsSize > MAX_RECS_SIZE) {
            // the popularity tables keep 10 x and 3 x as many items per list slot, each trimmed at twice that
            throw new IllegalArgumentException(
                    "--recs.size must be at most " + MAX_RECS_SIZE + " (items per list), not " + options.recsSize);
        }
        atLeastOne("--recs.focused-size", options.recsFocusedSize);
        atLeastOne("--recs.neighbours", options.recsNeighbours);
        weight("--recs.weight.similar-to-recent", options.recsWeightSimilarToRecent);
        weight("--recs.weight.matches-interests", options.recsWeightMatchesInterests);
        weight("--recs.weight.similar-users", options.recsWeightSimilarUsers);
        atLeastOne("--recs.min-similar-users", options.recsMinSimilarUsers);
        if (options.recsMinSimilarUsers > RecsSettings.MAX_MIN_SIMILAR_USERS) {
            throw new IllegalArgumentException("--recs.min-similar-users must be at most "
                    + RecsSettings.MAX_MIN_SIMILAR_USERS + " (the neighbours a list looks at), not "
                    + options.recsMinSimilarUsers);
        }
        try {
            options.sourceWeights(); // at least one source on
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--recs.weight.*: " + e.getMessage(), e);
        }
        atLeastOne("--recs.max-user-interactions", options.recsMaxUserInteractions);
        atLeastOne("--recs.max-item-interactions", options.recsMaxItemInteractions);
        notNegative("--allowed-lateness", options.allowedLateness);
        notNegative("--out-of-orderness", options.outOfOrderness);
        notNegative("--state-ttl", options.stateTtl);
        notNegative("--max-future", options.maxFuture);
        if (options.checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException(
                    "--checkpoint-interval must be at least 10 ms, not " + options.checkpointInterval);
        }
        if (options.parallelism == 0 || options.parallelism < -1) {
            throw new IllegalArgumentException("--parallelism must be at least 1 (or -1 for the cluster's default)");
        }
        if (options.stateCacheUsers < -1) {
            throw new IllegalArgumentException(
                    "--state-cache-users must be -1 (a share of the heap), 0 (off) or more, not "
                            + options.stateCacheUsers);
        }
        if (options.topicDepth < 0) {
            throw new IllegalArgumentException("--topic-depth must be 0 (whole codes) or more");
        }
        doorLimits(options);
        options.jsonMapping(); // --json.*: paths that compile, known event types, --input-format json
        writerSchemas(options);
        AttentionOptions.validate(options);
        TopicTrends.validate(options);
    }

    /**
     * @return the {@code --limits.*} options
     * @throws IllegalArgumentException when one is not positive
     */
    public static DoorLimits doorLimits(JobOptions options) {
        return new DoorLimits(
                options.limitRecordBytes,
                options.limitIdLength,
                options.limitTopicLength,
                options.limitTopics,
                options.limitStringLength);
    }

    /** @return what the event and control doors are configured with ({@code --input-format}, {@code --max-future}, ...) */
    public static DoorSettings doorSettings(JobOptions options) {
        return new DoorSettings(
                options.inputFormat,
                options.maxFuture.toMillis(),
                options.pseudonymKeyFile,
                options.botRulesFile,
                options.dlqRedact,
                doorLimits(options),
                writerSchemas(options),
                options.jsonMapping(),
                options.inputFormat == InputFormat.AVRO_REGISTRY ? options.schemaRegistry() : null);
    }

    /**
     * @return the schemas of {@code --writer-schemas} as JSON text (read here, on the client)
     * @throws IllegalArgumentException naming the file of a schema the job cannot use
     */
    public static List<String> writerSchemas(JobOptions options) {
        if (options.loadedWriterSchemas == null
                || !Objects.equals(options.loadedWriterSchemas.dir(), options.writerSchemasDir)) {
            // read once per graph, not once per door
            options.loadedWriterSchemas = new JobOptions.LoadedSchemas(
                    options.writerSchemasDir,
                    WriterSchemas.load(
                            options.writerSchemasDir,
                            List.of(
                                    ClickEvent.getClassSchema(),
                                    DwellEvent.getClassSchema(),
                                    AttentionBudget.getClassSchema(),
                                    ErasureRequest.getClassSchema(),
                                    ContentProfile.getClassSchema())));
        }
        return options.loadedWriterSchemas.texts();
    }

    /** {@code avro-registry} in or out needs {@code --schema-registry-url}, an http(s) URL. */
    private static void registry(JobOptions o) {
        boolean needed = o.outputFormat == OutputFormat.AVRO_REGISTRY || o.inputFormat == InputFormat.AVRO_REGISTRY;
        if (needed && o.schemaRegistry() == null) {
            throw new IllegalArgumentException("--output-format or --input-format avro-registry needs "
                    + "--schema-registry-url (e.g. http://localhost:8085)");
        }
        if (o.schemaRegistry() != null) {
            SchemaRegistrySettings.checkUrl("--schema-registry-url", o.schemaRegistryUrl);
        }
    }

    private static void positive(String option, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, not " + d);
        }
    }

    private static void notNegative(String option, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative, not " + d);
        }
    }

    private static void weight(String option, double w) {
        if (!(w >= 0) || w > MAX_WEIGHT || w > 0 && w < MIN_WEIGHT) {
            // only the weights' ratio matters; the bounds keep weighted scores finite and normal
            // (a weight of 1e-320 made every score subnormal, and the lists lost their order to ties)
            throw new IllegalArgumentException(
                    option + " must be 0 or a number from " + MIN_WEIGHT + " to " + (long) MAX_WEIGHT + ", not " + w);
        }
    }

    private static void atLeastOne(String option, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + n);
        }
    }

    static Duration transactionTimeout(JobOptions options) {
        String passed = options.kafkaProperties.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return passed != null ? Duration.ofMillis(Long.parseLong(passed.trim())) : options.transactionTimeout;
    }

    /**
     * Every topic option names its own, non-empty topic: an input read twice would count every
     * record twice (once as a dead letter), and an output that is also an input feeds the job its
     * own records.
     */
    private static void distinctTopics(JobOptions o) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("--topic.clickstream", o.clickstreamTopic);
        topics.put("--topic.dwell-time", o.dwellTopic);
        if (o.snowplow) {
            topics.put("--topic.snowplow", o.snowplowTopic);
        }
        topics.put("--topic.privacy-requests", o.privacyRequestsTopic);
        topics.put("--topic.budgets", o.budgetsTopic);
        topics.put("--topic.focus-blocks", o.focusBlocksTopic);
        topics.put("--topic.catalog", o.catalogTopic);
        topics.put("--topic.sessions", o.sessionsTopic);
        topics.put("--topic.page-views", o.pageViewsTopic);
        topics.put("--topic.dlq", o.dlqTopic);
        topics.put("--topic.interest-vectors", o.interestVectorsTopic);
        topics.put("--topic.interest-vectors-live", o.liveInterestVectorsTopic);
        topics.put("--topic.recommendations", o.recommendationsTopic);
        topics.put("--topic.recommendations-live", o.liveRecommendationsTopic);
        topics.put("--topic.alerts", o.alertsTopic);
        topics.put("--topic.reports", o.reportsTopic);
        topics.put("--topic.focus-block-reports", o.focusBlockReportsTopic);
        topics.put("--topic.trends", o.trendsTopic);
        topics.put("--topic.privacy-audit", o.privacyAuditTopic);
        Map<String, String> byTopic = new HashMap<>();
        for (var e : topics.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new IllegalArgumentException(e.getKey() + " must name a topic, not be empty");
            }
            String other = byTopic.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + e.getKey() + " are both '" + e.getValue()
                        + "': every topic of the job must be its own");
            }
        }
    }
}
