package org.attentionanalytics.job;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.FocusBlockReport;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.Recommendation;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.TopicTrend;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.RecommendationUpdate;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.interest.CatalogJoin;
import org.attentionanalytics.io.ControlWatermarks;
import org.attentionanalytics.io.EventWatermarks;
import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.pipeline.StepNames;
import org.attentionanalytics.pipeline.Uids;
import org.attentionanalytics.recommend.RankingFunction;
import org.attentionanalytics.session.UserActivityFunction;
import org.attentionanalytics.session.UserActivityOperator;

/**
 * The job: its Flink configuration and its graph. {@link #defineWorkflow} builds the whole graph in
 * one method, so the local runner, the tests, the benchmark and {@code flink run} run the very
 * same pipeline:
 *
 * <pre>
 * clickstream ─┐ Kafka sources: decode at the door, ┌ events ─ Topic depth ─┬──────────────────────────────┐
 * dwell-time ──┤ watermarks per partition ─ Door ──┤   (no inline topics:) └ keyBy(item) ⋈ content-catalog ┤
 * (snowplow) ──┘ (--snowplow: Snowplow enriched TSV) │ (--sessions client: keyBy(session id) ─ Client sessions, first)
 * attention-budgets, focus-blocks, privacy-requests ─ Door (control, no watermarks) ───────────────────────┤
 *                                                  │                                                      │
 *                                                  │   keyBy(pseudonym) ─ Per-user activity ─┬─ attention-sessions
 *                                                  │                                         ├─ attention-page-views
 *                                                  │                                         ├─ interest-vectors (+ tombstones)
 *                                                  │                                         ├─ Recommendations (item gate, user history,
 *                                                  │                                         │   item neighbours, popular items, ranking)
 *                                                  │                                         │   ─ recommendations (+ tombstones)
 *                                                  │                                         ├─ attention-alerts
 *                                                  │                                         ├─ attention-reports
 *                                                  │                                         ├─ focus-block-reports
 *                                                  │                                         ├─ Topic trends ─ topic-trends
 *                                                  │                                         ├─ privacy-audit
 *                                                  └ dead letters ───────────────────────────┴─ attention-dlq
 * </pre>
 *
 * Sinks are exactly-once (Kafka transactions committed on checkpoints), sources read {@code
 * read_committed} ({@link KafkaIo}). Every operator has a stable uid ({@link Uids}) and a readable
 * name ({@link StepNames}).
 */
public final class AttentionJob {
    /** Largest transaction timeout the job accepts: the broker default {@code transaction.max.timeout.ms}. */
    public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private AttentionJob() {}

    /**
     * Submits the job: {@code flink run attention-analytics.jar [options]}; {@code --help} lists the
     * options. Never calls {@code System.exit}: REST and web-UI submissions run this inside the
     * JobManager. Bad options throw {@link IllegalArgumentException} with the message.
     */
    public static void main(String[] args) throws Exception {
        org.attentionanalytics.job.CliSupport.executeOrThrow(new org.attentionanalytics.job.RunCommand(), args);
    }

    /**
     * Checks options that would otherwise fail late and obscurely ({@link OptionChecks}).
     *
     * @throws IllegalArgumentException with a message that says what to change
     */
    public static void validate(JobOptions options) {
        OptionChecks.validate(options);
    }

    /**
     * Adds the whole job to {@code env}, every step in the order of the web UI's graph: sources,
     * doors, the catalog join, the per-user operator, topic trends, sinks. {@code io} makes the
     * sources and sinks ({@link JobIo#KAFKA} for the job itself; the benchmark reads from memory,
     * tests tap the events before {@code keyBy}), so every caller runs the very same operators.
     */
    public static void defineWorkflow(StreamExecutionEnvironment env, JobOptions options, JobIo io) {
        validate(options);
        if (options.parallelism > 0) {
            env.setParallelism(options.parallelism);
        }
        // Sources, decoded at the door in the source readers. Watermarks per partition from the events
        // only: the catalog has none, the control topics are idle for good (they never hold event time back).
        DataStream<SourceRecord> clicks = source(
                env,
                io.eventSource(options, options.clickstreamTopic, EventKind.CLICK),
                eventWatermarks(options, io),
                options.clickstreamTopic,
                Uids.SOURCE_CLICKSTREAM);
        DataStream<SourceRecord> dwell = source(
                env,
                io.eventSource(options, options.dwellTopic, EventKind.DWELL),
                eventWatermarks(options, io),
                options.dwellTopic,
                Uids.SOURCE_DWELL);
        DataStream<SourceRecord> eventRecords = clicks.union(dwell);
        if (options.snowplow) { // a third event source, Snowplow's enriched TSV through its own door
            eventRecords = eventRecords.union(source(
                    env,
                    io.snowplowSource(options),
                    eventWatermarks(options, io),
                    options.snowplowTopic,
                    Uids.SOURCE_SNOWPLOW));
        }
        DataStream<CatalogUpdate> profiles = source(
                env,
                io.catalogSource(options),
                WatermarkStrategy.noWatermarks(),
                options.catalogTopic,
                Uids.SOURCE_CATALOG);
        DataStream<SourceRecord> budgets = source(
                env,
                io.controlSource(options, options.budgetsTopic, EventKind.BUDGET),
                controlWatermarks(options),
                options.budgetsTopic,
                Uids.SOURCE_BUDGETS);
        DataStream<SourceRecord> focusBlocks = source(
                env,
                io.controlSource(options, options.focusBlocksTopic, EventKind.FOCUS_BLOCKS),
                controlWatermarks(options),
                options.focusBlocksTopic,
                Uids.SOURCE_FOCUS_BLOCKS);
        DataStream<SourceRecord> requests = source(
                env,
                io.controlSource(options, options.privacyRequestsTopic, EventKind.ERASURE),
                controlWatermarks(options),
                options.privacyRequestsTopic,
                Uids.SOURCE_PRIVACY_REQUESTS);

        // Doors: clean records on, dead letters to the DEAD_LETTERS side output, bots dropped.
        SingleOutputStreamOperator<AttentionEvent> events =
                eventRecords.process(new DoorRouter()).uid(Uids.DOOR).name(StepNames.DOOR);
        SingleOutputStreamOperator<CatalogUpdate> catalog =
                profiles.process(new CatalogDoor()).uid(Uids.DOOR_CATALOG).name(StepNames.DOOR_CATALOG);
        SingleOutputStreamOperator<AttentionEvent> control = budgets.union(focusBlocks, requests)
                .process(new DoorRouter())
                .uid(Uids.DOOR_CONTROL)
                .name(StepNames.DOOR_CONTROL);

        // --sessions client: each tracker session's events to the identity of its first event.
        ClientSessions clientSessions = ClientSessions.attach(events, control, options);

        // Topics: inline ones rolled up to --topic-depth; an event without any gets its item's from the catalog.
        SingleOutputStreamOperator<AttentionEvent> routed =
                CatalogJoin.route(clientSessions.events(), options.topicDepth);
        DataStream<AttentionEvent> joined =
                CatalogJoin.join(routed.getSideOutput(SideOutputs.NEEDS_CATALOG), catalog, options.topicDepth);

        // The per-user operator, keyed by pseudonym: the events and the control records (which have no item).
        AttentionSettings attention = AttentionOptions.settings(options);
        SingleOutputStreamOperator<SessionSummary> perUser = io.beforeKeyBy(
                        routed.union(joined).union(control))
                .keyBy(AttentionEvent::getUser)
                .transform(
                        StepNames.USER_ACTIVITY,
                        new AvroTypeInfo<>(SessionSummary.class),
                        userActivity(options, attention))
                .uid(Uids.USER_ACTIVITY);

        // Topic trends: the users' bounded contributions, noised per window.
        SingleOutputStreamOperator<TopicTrend> trends = TopicTrends.attach(
                perUser.getSideOutput(SideOutputs.TREND_CONTRIBUTIONS),
                options,
                attention.rules().categories());

        // Recommendations: item-to-item co-occurrence keyed by item, ranked per user.
        if (options.recsEnabled) {
            SingleOutputStreamOperator<RecommendationUpdate> ranking =
                    Recommendations.attach(perUser.getSideOutput(SideOutputs.ITEM_SIGNALS), catalog, options);
            io.sink(
                            ranking,
                            options,
                            options.recommendationsTopic,
                            "recommendations",
                            RecommendationUpdate::getUser,
                            RecommendationUpdate::getRecommendation,
                            Recommendation.class)
                    .uid(Uids.SINK_RECOMMENDATIONS)
                    .name(StepNames.sink(options.recommendationsTopic));
            if (options.liveEnabled) {
                io.liveSink(
                                ranking.getSideOutput(RankingFunction.LIVE),
                                options,
                                options.liveRecommendationsTopic,
                                RecommendationUpdate::getUser,
                                RecommendationUpdate::getRecommendation,
                                Recommendation.class)
                        .uid(Uids.SINK_LIVE_RECOMMENDATIONS)
                        .name(StepNames.sink(options.liveRecommendationsTopic));
            }
        }

        // Live vectors: at least once, no transaction, so consumers see them at once.
        if (options.liveEnabled) {
            io.liveSink(
                            perUser.getSideOutput(SideOutputs.LIVE_INTEREST_VECTORS),
                            options,
                            options.liveInterestVectorsTopic,
                            InterestVectorUpdate::getUser,
                            InterestVectorUpdate::getVector,
                            InterestVector.class)
                    .uid(Uids.SINK_LIVE_INTEREST_VECTORS)
                    .name(StepNames.sink(options.liveInterestVectorsTopic));
        }

        // Sinks, exactly once.
        io.sink(
                        perUser,
                        options,
                        options.sessionsTopic,
                        "sessions",
                        SessionSummary::getUser,
                        s -> s,
                        SessionSummary.class)
                .uid(Uids.SINK_SESSIONS)
                .name(StepNames.sink(options.sessionsTopic));
        io.sink(
                        perUser.getSideOutput(SideOutputs.PAGE_VIEWS),
                        options,
                        options.pageViewsTopic,
                        "page-views",
                        PageView::getUser,
                        v -> v,
                        PageView.class)
                .uid(Uids.SINK_PAGE_VIEWS)
                .name(StepNames.sink(options.pageViewsTopic));
        io.sink(
                        perUser.getSideOutput(SideOutputs.INTEREST_VECTORS),
                        options,
                        options.interestVectorsTopic,
                        "vectors",
                        InterestVectorUpdate::getUser,
                        InterestVectorUpdate::getVector,
                        InterestVector.class)
                .uid(Uids.SINK_INTEREST_VECTORS)
                .name(StepNames.sink(options.interestVectorsTopic));
        io.sink(
                        perUser.getSideOutput(SideOutputs.ALERTS),
                        options,
                        options.alertsTopic,
                        "alerts",
                        AttentionAlert::getUser,
                        a -> a,
                        AttentionAlert.class)
                .uid(Uids.SINK_ALERTS)
                .name(StepNames.sink(options.alertsTopic));
        io.sink(
                        perUser.getSideOutput(SideOutputs.REPORTS),
                        options,
                        options.reportsTopic,
                        "reports",
                        DailyAttentionReport::getUser,
                        r -> r,
                        DailyAttentionReport.class)
                .uid(Uids.SINK_REPORTS)
                .name(StepNames.sink(options.reportsTopic));
        io.sink(
                        perUser.getSideOutput(SideOutputs.FOCUS_BLOCK_REPORTS),
                        options,
                        options.focusBlockReportsTopic,
                        "focus-block-reports",
                        FocusBlockReport::getUser,
                        r -> r,
                        FocusBlockReport.class)
                .uid(Uids.SINK_FOCUS_BLOCK_REPORTS)
                .name(StepNames.sink(options.focusBlockReportsTopic));
        io.sink(trends, options, options.trendsTopic, "trends", TopicTrend::getCategory, t -> t, TopicTrend.class)
                .uid(Uids.SINK_TOPIC_TRENDS)
                .name(StepNames.sink(options.trendsTopic));
        io.sink(
                        perUser.getSideOutput(SideOutputs.ERASURES),
                        options,
                        options.privacyAuditTopic,
                        "privacy-audit",
                        ErasureConfirmation::getUser,
                        c -> c,
                        ErasureConfirmation.class)
                .uid(Uids.SINK_PRIVACY_AUDIT)
                .name(StepNames.sink(options.privacyAuditTopic));
        io.sink(
                        clientSessions.withDeadLetters(events.getSideOutput(SideOutputs.DEAD_LETTERS)
                                .union(
                                        control.getSideOutput(SideOutputs.DEAD_LETTERS),
                                        catalog.getSideOutput(SideOutputs.DEAD_LETTERS),
                                        perUser.getSideOutput(SideOutputs.DEAD_LETTERS))),
                        options,
                        options.dlqTopic,
                        JobIo.DLQ_SINK,
                        SourceRecord::getDeadLetterKey,
                        SourceRecord::getDeadLetter,
                        DeadLetter.class)
                .uid(Uids.SINK_DLQ)
                .name(StepNames.sink(options.dlqTopic));
    }

    /** A source of the graph, named after its topic. */
    private static <T> DataStream<T> source(
            StreamExecutionEnvironment env,
            Source<T, ?, ?> source,
            WatermarkStrategy<T> watermarks,
            String topic,
            String uid) {
        return env.fromSource(source, watermarks, StepNames.source(topic)).uid(uid);
    }

    /** The per-user operator as {@code options} configure it. */
    private static UserActivityOperator userActivity(JobOptions options, AttentionSettings attention) {
        return new UserActivityOperator(
                new UserActivityFunction(
                                options.sessionRules(options.allowedLateness),
                                options.dedupeWindow.toMillis(),
                                options.halfLife.toMillis(),
                                attention)
                        .withStateTtl(options.stateTtl)
                        .withErasureInEventTime(options.bounded)
                        .withItemSignals(options.recsEnabled)
                        .withLiveVectors(options.liveInterval(), options.liveLingerCapped())
                        .withDeadLetterRedaction(options.dlqRedact, options.pseudonymKeyFile),
                // 0 turns the heap path off, waiting events too; -1 is UserActivityOperator.HEAP_SHARE
                options.stateCacheUsers == 0 ? 0 : UserActivityOperator.DEFAULT_MAX_WAITING_EVENTS,
                options.stateCacheUsers);
    }

    /**
     * Watermarks of the control sources: none, and idle for good, in an unbounded run; in a bounded
     * run none and never idle, so the events wait for the control topics' end ({@link
     * ControlWatermarks}).
     */
    static WatermarkStrategy<SourceRecord> controlWatermarks(JobOptions options) {
        return options.bounded ? ControlWatermarks.boundedStrategy() : ControlWatermarks.strategy();
    }

    /**
     * Watermarks of the event sources, aligned within {@code --max-watermark-drift} when {@code io}
     * can pause them ({@link JobIo#alignsEventSources}): {@code --idleness} applies to unbounded
     * runs only; a bounded run never marks a partition idle ({@link EventWatermarks#boundedStrategy}
     * says why).
     */
    public static WatermarkStrategy<SourceRecord> eventWatermarks(JobOptions options, JobIo io) {
        Duration drift = io.alignsEventSources(options) ? options.maxWatermarkDrift : Duration.ZERO;
        return options.bounded
                ? EventWatermarks.boundedStrategy(options.outOfOrderness, drift)
                : EventWatermarks.strategy(options.outOfOrderness, options.idleness, drift);
    }
}
