package org.attentionanalytics.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.FocusBlocks;

/**
 * Replays a dataset file into Kafka: reads it with {@link DatasetReader}, then publishes every
 * event in event-time order (whatever the file's order: a file sorted by user would otherwise make
 * most events late for the job's watermarks). ClickEvents go to the clickstream topic, DwellEvents
 * to the dwell-time topic; the key is the raw user id (UTF-8), so a user's events stay in order in
 * one partition; the value is encoded by {@link ReplayOptions#replayFormat}. A content catalog
 * ({@code --catalog}) goes first, to the catalog topic keyed by item id; then the budgets ({@code
 * --budgets}) and the focus blocks ({@code --focus-blocks}); erasure requests ({@code --erasures})
 * go among the events in event-time order.
 *
 * <p>The producer is idempotent with {@code acks=all} and not transactional; it is flushed and
 * closed at the end. While Kafka is away, at the start or in the middle, it waits and retries up to
 * {@code --max-wait} ({@link ReplayOptions#maxWait}) and says so on stderr; each record is handed to
 * it once, in order, and its own retries write a record once (see {@link KafkaWait}). When it gives
 * up, the replay stops with an error that says how many records were acknowledged: none is
 * skipped silently. Nor is a dataset row: a row that gives no event is counted with its reason, and
 * a dataset that skips more rows than {@code --max-skipped} (default 0), or gives no event at all,
 * is refused before anything is sent ({@link SkippedRows#check}).
 */
public final class DatasetReplay {

    private DatasetReplay() {}

    /** The default catalog topic ({@code --topic.catalog}). */
    public static final String DEFAULT_CATALOG_TOPIC = "content-catalog";

    /**
     * As {@link #replay(ReplayOptions, Properties, ReplayTopics, boolean)} with the default topics
     * of the catalog, budgets and erasure requests.
     */
    public static ReplayResult replay(
            ReplayOptions opts, Properties producerProps, String clickTopic, String dwellTopic, boolean showProgress)
            throws IOException, InterruptedException {
        return replay(opts, producerProps, clickTopic, dwellTopic, DEFAULT_CATALOG_TOPIC, showProgress);
    }

    /**
     * As {@link #replay(ReplayOptions, Properties, ReplayTopics, boolean)} with the default topics
     * of budgets and erasure requests.
     */
    public static ReplayResult replay(
            ReplayOptions opts,
            Properties producerProps,
            String clickTopic,
            String dwellTopic,
            String catalogTopic,
            boolean showProgress)
            throws IOException, InterruptedException {
        return replay(
                opts,
                producerProps,
                new ReplayTopics(
                        clickTopic,
                        dwellTopic,
                        catalogTopic,
                        ReplayTopics.DEFAULTS.budgets(),
                        ReplayTopics.DEFAULTS.privacyRequests()),
                showProgress);
    }

    /**
     * Publishes, in this order: the catalog of {@code opts} ({@code --catalog}, if given); the
     * budgets ({@code --budgets}, if given); the focus blocks ({@code --focus-blocks}, if given, one
     * {@link FocusBlocks} per user keyed by the raw user id, without {@code updated_at} at the
     * dataset's first event time, like budgets); then the dataset's events ({@code --dataset}, if given)
     * in event-time order with the erasure requests ({@code --erasures}, if given) among them, each
     * request after the events of the same or an earlier time. Every file is read and checked
     * before anything is sent, so a file that cannot be read publishes nothing. The catalog, the
     * budgets and the focus blocks are sent completely, flushed and acknowledged before the first event is sent (DESIGN.md
     * section 2), unpaced ({@code --speedup} is for events and erasure requests): one {@link
     * ContentProfile} per item keyed by the item id, one {@link AttentionBudget} per user keyed by the
     * raw user id (a budget without {@code updated_at} takes the dataset's first event time), one
     * {@link ErasureRequest} per row keyed by the raw user id; all encoded by {@code
     * --replay-format}.
     *
     * @param producerProps Kafka producer properties: {@code bootstrap.servers} and any pass-through
     *     client properties; they override the defaults {@code acks=all}, {@code
     *     enable.idempotence=true} and the timeouts from {@code --max-wait} ({@link
     *     KafkaWait#configure}); serializers are always byte arrays
     * @param topics where each record type goes (the job's {@code --topic.*})
     * @param showProgress draw a progress bar on stderr (events and erasure requests)
     * @throws IOException when a file cannot be read (see {@link DatasetReader#read}, {@link
     *     CatalogCsv#read}, {@link ControlCsv}, {@link FocusBlocksCsv})
     * @throws SkippedRows.RejectedDatasetException when the dataset skipped more rows than {@code
     *     --max-skipped} allows, or gave no event: then nothing is published
     * @throws IllegalArgumentException when none of {@code --dataset}, {@code --catalog}, {@code
     *     --budgets}, {@code --erasures}, {@code --focus-blocks} is given, a file does not fit its
     *     kind, or a budgets, erasures or focus-blocks row is invalid (the message names file and line)
     * @throws KafkaException when a record cannot be sent, or Kafka was away for longer than {@code
     *     --max-wait} (the replay waits until then, saying so on stderr); the message says how many
     *     records of the file being sent were acknowledged
     * @throws InterruptedException when interrupted while pacing ({@code --speedup})
     */
    public static ReplayResult replay(
            ReplayOptions opts, Properties producerProps, ReplayTopics topics, boolean showProgress)
            throws IOException, InterruptedException {
        return replay(opts, producerProps, topics, showProgress, new PrintWriter(System.err, true));
    }

    /**
     * As {@link #replay(ReplayOptions, Properties, ReplayTopics, boolean)}, with the lines about
     * waiting for Kafka on {@code err} (the progress bar is always on {@link System#err}).
     */
    public static ReplayResult replay(
            ReplayOptions opts, Properties producerProps, ReplayTopics topics, boolean showProgress, PrintWriter err)
            throws IOException, InterruptedException {
        if (opts.dataset == null
                && opts.catalog == null
                && opts.budgets == null
                && opts.erasures == null
                && opts.focusBlocks == null) {
            throw new IllegalArgumentException(
                    "nothing to replay: give --dataset KIND:PATH, --catalog csv:PATH, --budgets csv:PATH, "
                            + "--erasures csv:PATH or --focus-blocks csv:PATH");
        }
        CatalogCsv.Result catalog = opts.catalog == null ? null : CatalogCsv.read(opts.catalog.path());
        boolean snowplow = opts.dataset != null && opts.dataset.kind() == DatasetKind.SNOWPLOW;
        DatasetReader.Result read = opts.dataset == null || snowplow ? null : DatasetReader.readAccepted(opts);
        SnowplowRows.Result lines =
                snowplow ? SnowplowRows.readAccepted(opts.dataset.path(), opts.rows.maxSkipped) : null;
        Instant firstEvent = read != null && !read.events().isEmpty()
                ? read.events().get(0).eventTime()
                : lines != null && !lines.lines().isEmpty()
                        ? lines.lines().get(0).eventTime()
                        : null;
        List<AttentionBudget> budgets =
                opts.budgets == null ? List.of() : ControlCsv.readBudgets(opts.budgets.path(), firstEvent);
        List<ErasureRequest> erasures =
                opts.erasures == null ? List.of() : ControlCsv.readErasures(opts.erasures.path());
        List<FocusBlocks> focusBlocks =
                opts.focusBlocks == null ? List.of() : FocusBlocksCsv.read(opts.focusBlocks.path(), firstEvent);
        ReplaySender.Waiting waiting =
                new ReplaySender.Waiting(opts.maxWait == null ? KafkaWait.DEFAULT_MAX_WAIT : opts.maxWait, err);
        if (catalog != null) {
            sendAll(
                    catalog.profiles(),
                    ContentProfile::getItemId,
                    "catalog items",
                    opts.replayFormat,
                    producerProps,
                    topics.catalog(),
                    waiting);
        }
        if (!budgets.isEmpty()) {
            sendAll(
                    budgets,
                    AttentionBudget::getUserId,
                    "budgets",
                    opts.replayFormat,
                    producerProps,
                    topics.budgets(),
                    waiting);
        }
        if (!focusBlocks.isEmpty()) {
            sendAll(
                    focusBlocks,
                    FocusBlocks::getUserId,
                    "focus-block records",
                    opts.replayFormat,
                    producerProps,
                    topics.focusBlocks(),
                    waiting);
        }
        if (lines != null) {
            TimeOrderedSend.publishSnowplow(
                    lines.lines(),
                    erasures,
                    opts.speedup,
                    opts.replayFormat,
                    producerProps,
                    topics,
                    showProgress,
                    waiting);
        } else if (read != null || !erasures.isEmpty()) {
            TimeOrderedSend.publish(
                    read == null ? List.of() : read.events(),
                    erasures,
                    opts.replayFormat,
                    opts.speedup,
                    producerProps,
                    topics,
                    showProgress,
                    waiting);
        }
        return new ReplayResult(
                read == null ? 0 : read.clicks(),
                read == null ? 0 : read.dwells(),
                read != null
                        ? read.skippedRows()
                        : lines != null ? lines.skipped().total() : 0,
                catalog == null ? 0 : catalog.profiles().size(),
                catalog == null ? 0 : catalog.skippedRows(),
                budgets.size(),
                erasures.size(),
                read != null ? read.rows() : lines != null ? lines.rows() : 0,
                read != null
                        ? read.skipped().byReason()
                        : lines != null ? lines.skipped().byReason() : Map.of(),
                lines == null ? 0 : lines.lines().size(),
                focusBlocks.size());
    }

    /**
     * Publishes budgets to the budgets topic, key the raw user id (UTF-8), and returns once all are
     * acknowledged.
     *
     * @throws IllegalArgumentException for a {@code transactional.id} in the properties
     * @throws KafkaException when a record cannot be sent
     */
    public static void publishBudgets(
            List<AttentionBudget> budgets, ReplayFormat format, Properties producerProps, String budgetsTopic) {
        sendAll(
                budgets,
                AttentionBudget::getUserId,
                "budgets",
                format,
                producerProps,
                budgetsTopic,
                ReplaySender.Waiting.DEFAULT);
    }

    /**
     * Publishes content profiles to the catalog topic, key the item id (UTF-8), and returns once all
     * are acknowledged.
     *
     * @throws IllegalArgumentException for a {@code transactional.id} in the properties
     * @throws KafkaException when a record cannot be sent
     */
    public static void publishCatalog(
            List<ContentProfile> profiles, ReplayFormat format, Properties producerProps, String catalogTopic) {
        sendAll(
                profiles,
                ContentProfile::getItemId,
                "catalog items",
                format,
                producerProps,
                catalogTopic,
                ReplaySender.Waiting.DEFAULT);
    }

    private static <T extends SpecificRecordBase> void sendAll(
            List<T> records,
            Function<T, String> keyOf,
            String what,
            ReplayFormat format,
            Properties producerProps,
            String topic,
            ReplaySender.Waiting waiting) {
        try (ReplaySender sender = new ReplaySender(producerProps, waiting, records.size(), what, false)) {
            for (T r : records) {
                sender.send(
                        new ProducerRecord<>(topic, keyOf.apply(r).getBytes(StandardCharsets.UTF_8), format.encode(r)));
            }
            sender.finish();
        }
    }

    /**
     * Publishes events in list order (sort them by event time first, as {@link DatasetReader} does).
     *
     * @param speedup 0: as fast as possible; N &gt; 0: wait so that the event-time gap between the first
     *     event and each event elapses N times faster in wall-clock time (1 = real time)
     * @throws IllegalArgumentException for a negative or NaN speedup, or a {@code transactional.id}
     *     in the properties
     * @throws KafkaException when a record cannot be sent
     * @throws InterruptedException when interrupted while pacing
     */
    public static void publish(
            List<ReplayEvent> events,
            ReplayFormat format,
            double speedup,
            Properties producerProps,
            String clickTopic,
            String dwellTopic,
            boolean showProgress)
            throws InterruptedException {
        publish(
                events,
                List.of(),
                format,
                speedup,
                producerProps,
                new ReplayTopics(
                        clickTopic,
                        dwellTopic,
                        DEFAULT_CATALOG_TOPIC,
                        ReplayTopics.DEFAULTS.budgets(),
                        ReplayTopics.DEFAULTS.privacyRequests()),
                showProgress);
    }

    /**
     * Publishes events and erasure requests in one event-time order: both lists sorted by time (as
     * {@link DatasetReader} and {@link ControlCsv#readErasures} give them), merged so that a request
     * goes after every event of the same or an earlier time; requests go to {@code
     * topics.privacyRequests()} keyed by the raw user id.
     *
     * @param speedup as in {@link #publish(List, ReplayFormat, double, Properties, String, String, boolean)},
     *     counted from the earlier of the first event and the first request
     * @throws IllegalArgumentException for a negative or NaN speedup, or a {@code transactional.id}
     *     in the properties
     * @throws KafkaException when a record cannot be sent
     * @throws InterruptedException when interrupted while pacing
     */
    public static void publish(
            List<ReplayEvent> events,
            List<ErasureRequest> erasures,
            ReplayFormat format,
            double speedup,
            Properties producerProps,
            ReplayTopics topics,
            boolean showProgress)
            throws InterruptedException {
        TimeOrderedSend.publish(
                events, erasures, format, speedup, producerProps, topics, showProgress, ReplaySender.Waiting.DEFAULT);
    }

    /** The send order of events and erasure requests: see {@link TimeOrderedSend#interleave}. */
    static List<SpecificRecordBase> interleave(List<ReplayEvent> events, List<ErasureRequest> erasures) {
        return TimeOrderedSend.interleave(events, erasures);
    }
}
