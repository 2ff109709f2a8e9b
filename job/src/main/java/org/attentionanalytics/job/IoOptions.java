package org.attentionanalytics.job;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.attentionanalytics.io.DoorLimits;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.io.OutputFormat;
import org.attentionanalytics.io.SchemaRegistrySettings;
import picocli.CommandLine.Option;

/**
 * The job's options of where it reads and writes and what it accepts at the door: the Kafka
 * cluster, every topic, the writer schemas and the limits of a record. {@link JobOptions} extends
 * it with everything the job computes; picocli lists these first.
 */
public class IoOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    // ---- Kafka and topics (DESIGN.md section 1) ----
    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}")
    public String bootstrapServers;

    @Option(
            names = "--group-id",
            defaultValue = "attention-analytics",
            description =
                    "Consumer group id of the sources (offsets are committed on checkpoints). Default: ${DEFAULT-VALUE}")
    public String groupId;

    @Option(
            names = "--starting-offsets",
            defaultValue = "earliest",
            converter = StartingOffsets.Converter.class,
            description =
                    "Where the sources start without a checkpoint: earliest, latest or committed (committed offsets, else earliest). Default: ${DEFAULT-VALUE}")
    public StartingOffsets startingOffsets;

    @Option(
            names = "--bounded",
            defaultValue = "false",
            description =
                    "Read each input topic up to its end offsets at job start, close every session at end of input, then finish.")
    public boolean bounded;

    @Option(
            names = "--input-format",
            defaultValue = "avro",
            converter = InputFormat.Converter.class,
            description =
                    "Encoding of input values: avro (Avro single-object encoding), json (one JSON object, same field names, or others with --json.*), "
                            + "auto (per record: Avro where it starts with C3 01, else JSON) or avro-registry (the Confluent wire format, writer "
                            + "schemas from --schema-registry-url). Default: ${DEFAULT-VALUE}")
    public InputFormat inputFormat;

    @Option(
            names = "--output-format",
            defaultValue = "avro",
            converter = OutputFormat.Converter.class,
            description =
                    "Encoding of every output topic's values: avro (Avro single-object encoding), json (one JSON object, as the "
                            + "bounded run's output files without _key) or avro-registry (the Confluent wire format, schemas registered "
                            + "under <topic>-value at --schema-registry-url at start). Default: ${DEFAULT-VALUE}")
    public OutputFormat outputFormat;

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL",
            description =
                    "Root URL of the schema registry (Apicurio Registry 2.x, e.g. http://localhost:8085) of avro-registry "
                            + "outputs and inputs. Default: none.")
    public String schemaRegistryUrl;

    @Option(
            names = "--schema-registry-property",
            paramLabel = "KEY=VALUE",
            description =
                    "A property of the registry's serde and client, as Apicurio names it; repeatable. Credentials as a header: "
                            + "apicurio.registry.request.headers.Authorization='Basic ...'; TLS: apicurio.registry.request.ssl.*.")
    public Map<String, String> schemaRegistryProperties = new TreeMap<>();

    @Option(
            names = "--topic.clickstream",
            defaultValue = "clickstream",
            description = "Input topic of ClickEvents. Default: ${DEFAULT-VALUE}")
    public String clickstreamTopic;

    @Option(
            names = "--topic.dwell-time",
            defaultValue = "dwell-time",
            description = "Input topic of DwellEvents. Default: ${DEFAULT-VALUE}")
    public String dwellTopic;

    @Option(
            names = "--snowplow",
            defaultValue = "false",
            description =
                    "Also read Snowplow enriched events (enrich's TSV lines) from --topic.snowplow: a third event source, as clickstream and dwell-time. Default: ${DEFAULT-VALUE}")
    public boolean snowplow;

    @Option(
            names = "--topic.snowplow",
            defaultValue = "snowplow-enriched",
            description =
                    "Input topic of Snowplow enriched events, read when Snowplow is on. Default: ${DEFAULT-VALUE}")
    public String snowplowTopic;

    @Option(
            names = "--snowplow.user-id",
            defaultValue = "user_id,domain_userid,network_userid",
            split = ",",
            description =
                    "Snowplow fields that identify the user, in order: the first one set is the user. Default: ${DEFAULT-VALUE}")
    public List<String> snowplowUserId;

    @Option(
            names = "--topic.sessions",
            defaultValue = "attention-sessions",
            description = "Output topic of SessionSummary records. Default: ${DEFAULT-VALUE}")
    public String sessionsTopic;

    @Option(
            names = "--topic.page-views",
            defaultValue = "attention-page-views",
            description = "Output topic of PageView records (upsert by view_id). Default: ${DEFAULT-VALUE}")
    public String pageViewsTopic;

    @Option(
            names = "--topic.dlq",
            defaultValue = "attention-dlq",
            description = "Dead-letter topic. Default: ${DEFAULT-VALUE}")
    public String dlqTopic;

    @Option(
            names = "--topic.interest-vectors",
            defaultValue = "interest-vectors",
            description = "Output topic of InterestVector records (compacted). Default: ${DEFAULT-VALUE}")
    public String interestVectorsTopic;

    @Option(
            names = "--topic.interest-vectors-live",
            defaultValue = "interest-vectors-live",
            description =
                    "Output topic of live InterestVector records (compacted, at least once). Default: ${DEFAULT-VALUE}")
    public String liveInterestVectorsTopic;

    @Option(
            names = "--topic.recommendations-live",
            defaultValue = "recommendations-live",
            description = "Output topic of live Recommendation records, with --live.enabled and --recs.enabled "
                    + "(compacted, at least once). Default: ${DEFAULT-VALUE}")
    public String liveRecommendationsTopic;

    @Option(
            names = "--topic.recommendations",
            defaultValue = "recommendations",
            description = "Output topic of Recommendation records (compacted). Default: ${DEFAULT-VALUE}")
    public String recommendationsTopic;

    @Option(
            names = "--topic.alerts",
            defaultValue = "attention-alerts",
            description = "Output topic of AttentionAlert records. Default: ${DEFAULT-VALUE}")
    public String alertsTopic;

    @Option(
            names = "--topic.reports",
            defaultValue = "attention-reports",
            description = "Output topic of DailyAttentionReport records. Default: ${DEFAULT-VALUE}")
    public String reportsTopic;

    @Option(
            names = "--topic.focus-block-reports",
            defaultValue = "focus-block-reports",
            description = "Output topic of FocusBlockReport records. Default: ${DEFAULT-VALUE}")
    public String focusBlockReportsTopic;

    @Option(
            names = "--topic.trends",
            defaultValue = "topic-trends",
            description = "Output topic of TopicTrend records. Default: ${DEFAULT-VALUE}")
    public String trendsTopic;

    @Option(
            names = "--topic.privacy-audit",
            defaultValue = "privacy-audit",
            description = "Output topic of ErasureConfirmation records. Default: ${DEFAULT-VALUE}")
    public String privacyAuditTopic;

    @Option(
            names = "--topic.privacy-requests",
            defaultValue = "privacy-requests",
            description = "Input topic of ErasureRequest records. Default: ${DEFAULT-VALUE}")
    public String privacyRequestsTopic;

    @Option(
            names = "--topic.budgets",
            defaultValue = "attention-budgets",
            description = "Input topic of AttentionBudget records. Default: ${DEFAULT-VALUE}")
    public String budgetsTopic;

    @Option(
            names = "--topic.focus-blocks",
            defaultValue = "focus-blocks",
            description = "Input topic of FocusBlocks records (keyed by the raw user id). Default: ${DEFAULT-VALUE}")
    public String focusBlocksTopic;

    @Option(
            names = "--topic.catalog",
            defaultValue = "content-catalog",
            description = "Input topic of ContentProfile records (compacted). Default: ${DEFAULT-VALUE}")
    public String catalogTopic;

    @Option(
            names = "--writer-schemas",
            paramLabel = "DIR",
            description =
                    "Directory of further Avro writer schemas (*.avsc, self-contained) of the input records to accept besides "
                            + "the job's own, e.g. a producer's ClickEvent with a newer event_type symbol (read as OTHER). Read at start, "
                            + "on the client. Default: none.")
    public String writerSchemasDir;

    // ---- Limits at the door (README, Bad input) ----
    @Option(
            names = "--limits.record-bytes",
            defaultValue = DoorLimits.DEFAULT_RECORD_BYTES / 1024 + " kb",
            converter = JobOptions.BytesConverter.class,
            paramLabel = "SIZE",
            description =
                    "Largest input record (Kafka value) the doors accept; larger ones are FIELD_TOO_LARGE dead letters. Default: ${DEFAULT-VALUE}")
    public int limitRecordBytes;

    @Option(
            names = "--limits.id-length",
            defaultValue = "" + DoorLimits.DEFAULT_ID_LENGTH,
            paramLabel = "N",
            description =
                    "Longest event_id, user_id, item_id and request_id, in characters (FIELD_TOO_LARGE above). Default: ${DEFAULT-VALUE}")
    public int limitIdLength;

    @Option(
            names = "--limits.topic-length",
            defaultValue = "" + DoorLimits.DEFAULT_TOPIC_LENGTH,
            paramLabel = "N",
            description =
                    "Longest topic, catalog topic and budget category, in characters (FIELD_TOO_LARGE above). Default: ${DEFAULT-VALUE}")
    public int limitTopicLength;

    @Option(
            names = "--limits.topics",
            defaultValue = "" + DoorLimits.DEFAULT_TOPICS,
            paramLabel = "N",
            description =
                    "Most topics of one event or catalog profile, most categories of one budget (FIELD_TOO_LARGE above). Default: ${DEFAULT-VALUE}")
    public int limitTopics;

    @Option(
            names = "--limits.string-length",
            defaultValue = "" + DoorLimits.DEFAULT_STRING_LENGTH,
            paramLabel = "N",
            description =
                    "Longest url, referrer, user_agent, search_query, device_id, ip, time_zone and catalog title, in characters (FIELD_TOO_LARGE above). Default: ${DEFAULT-VALUE}")
    public int limitStringLength;

    /** @return the schema registry of {@code --schema-registry-url}, or null when none is given */
    public SchemaRegistrySettings schemaRegistry() {
        return schemaRegistryUrl == null || schemaRegistryUrl.isBlank()
                ? null
                : new SchemaRegistrySettings(schemaRegistryUrl, schemaRegistryProperties);
    }
}
