package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.avro.TopicTrend;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.privacy.TrendContributions;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trends branch end to end: users' activity bounded by {@link TrendContributions}, the
 * contributions from a bounded source through {@link TopicTrends#attach} (parallelism 2, RocksDB, no
 * Kryo) into the fast tier's collecting sink ({@link GraphRun}), which keeps the records as the
 * job's Kafka serializer writes them.
 * An epsilon of 1e300 makes the noise exactly 0, so bounding and suppression show as exact values.
 */
class TopicTrendsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    static final long MIN = 60_000L;
    static final long HOUR = 60 * MIN;
    static final long H = Instant.parse("2024-03-05T10:00:00Z").toEpochMilli();

    @Test
    void boundedAndSuppressedTrends() throws Exception {
        JobOptions options = JobOptions.defaults();
        options.trendsEpsilon = 1e300;
        options.parallelism = 2;
        options.checkpointInterval = Duration.ofSeconds(1);
        long lateness = options.allowedLateness.toMillis();

        List<String> categories = CategoryRules.defaults().categories();
        TrendContributions bounding = new TrendContributions(categories, lateness);
        int news = categories.indexOf("news");
        int sports = categories.indexOf("sports");
        int business = categories.indexOf("business");
        int technology = categories.indexOf("technology");
        int politics = categories.indexOf("politics");
        int entertainment = categories.indexOf("entertainment");
        int lifestyle = categories.indexOf("lifestyle");
        int other = categories.indexOf(CategoryRules.OTHER);

        List<TrendContribution> in = new ArrayList<>();
        // 30 heavy users in the 10:00 window: 7 categories each, only the 5 most engaged count, 12 min at most
        for (int u = 0; u < 30; u++) {
            UserState st = UserState.newBuilder().build();
            long t = H + u * MIN;
            bounding.viewed(st, entertainment, t);
            bounding.viewed(st, lifestyle, t);
            bounding.engaged(st, news, t, 20 * MIN);
            bounding.engaged(st, sports, t + 1, 15 * MIN);
            bounding.engaged(st, business, t + 2, 6 * MIN + 59_999);
            bounding.engaged(st, technology, t + 3, 2 * MIN);
            bounding.engaged(st, politics, t + 4, MIN);
            in.addAll(bounding.due(st, Long.MAX_VALUE));
        }
        // 20 users who only viewed lifestyle (published: 20 users, 0 minutes), 19 who only viewed other (suppressed)
        for (int u = 0; u < 39; u++) {
            UserState st = UserState.newBuilder().build();
            bounding.viewed(st, u < 20 ? lifestyle : other, H + 30 * MIN);
            in.addAll(bounding.due(st, Long.MAX_VALUE));
        }
        // 12:00: 21 users in technology, 5 min each; 11:00 has no activity
        for (int u = 0; u < 21; u++) {
            UserState st = UserState.newBuilder().build();
            bounding.engaged(st, technology, H + 2 * HOUR + u, 5 * MIN);
            in.addAll(bounding.due(st, Long.MAX_VALUE));
        }
        // a contribution of a category outside the set, and one claiming 50 minutes (clamped to 12)
        in.add(TrendContribution.newBuilder()
                .setWindowStart(H + 2 * HOUR)
                .setCategory("astrology")
                .setMinutes(3)
                .build());
        in.add(TrendContribution.newBuilder()
                .setWindowStart(H + 2 * HOUR)
                .setCategory("technology")
                .setMinutes(50)
                .build());
        assertThat(in).hasSize(30 * 5 + 39 + 21 + 2);

        List<TopicTrend> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        JobExecutionResult result;
        try (GraphRun run = new GraphRun(options)) {
            StreamExecutionEnvironment env = run.environment();
            DataStream<TrendContribution> contributions = env.fromData(
                            new AvroTypeInfo<>(TrendContribution.class), in.toArray(new TrendContribution[0]))
                    .assignTimestampsAndWatermarks(WatermarkStrategy.<TrendContribution>forMonotonousTimestamps()
                            // as the per-user operator emits them: at the window's end plus the allowed lateness
                            .withTimestampAssigner((c, ts) -> c.getWindowStart() + HOUR + lateness));
            run.io()
                    .sink(
                            TopicTrends.attach(contributions, options, categories),
                            options,
                            options.trendsTopic,
                            "trends",
                            TopicTrend::getCategory,
                            t -> t,
                            TopicTrend.class);
            result = env.execute("topic trends");
            for (Keyed<TopicTrend> r : run.outputs().decoded(options.trendsTopic, TopicTrend.class)) {
                keys.add(r.key());
                out.add(r.value());
            }
        }
        assertThat(out)
                .containsExactlyInAnyOrder(
                        trend(H, "news", 30, 360),
                        trend(H, "sports", 30, 360),
                        trend(H, "business", 30, 180),
                        trend(H, "technology", 30, 60),
                        trend(H, "politics", 30, 30),
                        trend(H, "lifestyle", 20, 0),
                        trend(H + 2 * HOUR, "technology", 22, 21 * 5 + 12));
        assertThat(keys)
                .containsExactlyInAnyOrderElementsOf(
                        out.stream().map(TopicTrend::getCategory).toList());
        Map<String, Object> acc = result.getAllAccumulatorResults();
        assertThat(acc.get(org.attentionanalytics.privacy.TopicTrendAggregator.WINDOWS_RELEASED))
                .isEqualTo(3L);
        assertThat(acc.get(org.attentionanalytics.privacy.TopicTrendAggregator.UNKNOWN_CATEGORY))
                .isEqualTo(1L);
        assertThat(acc.get(org.attentionanalytics.privacy.TopicTrendAggregator.CATEGORIES_RELEASED))
                .isEqualTo(7L);
        assertThat(acc.get(org.attentionanalytics.privacy.TopicTrendAggregator.CATEGORIES_SUPPRESSED))
                .isEqualTo(3L * categories.size() - 7);
    }

    static TopicTrend trend(long window, String category, long users, long minutes) {
        return TopicTrend.newBuilder()
                .setWindowStart(Instant.ofEpochMilli(window))
                .setWindowEnd(Instant.ofEpochMilli(window + HOUR))
                .setCategory(category)
                .setUsers(users)
                .setEngagedMinutes(minutes)
                .setEpsilon(1e300)
                .build();
    }
}
