package org.attentionanalytics.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.attentionanalytics.avro.TopicTrend;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.testutil.TestRocksDb;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicTrendAggregator} in Flink's operator test harness on RocksDB. Exact values use an
 * epsilon so large that the noise is exactly 0 (P(Z != 0) about 2 exp(-1e299)); the noise itself is
 * tested with a fixed seed against the exact two-sided geometric probabilities.
 */
class TopicTrendAggregatorTest {
    static final List<String> CATS = List.of("news", "politics", "business", "sports", "other");
    static final long MIN = 60_000L;
    static final long HOUR = 60 * MIN;
    static final long LATENESS = 5 * MIN;
    static final long H10 = Instant.parse("2024-03-05T10:00:00Z").toEpochMilli();
    static final long H11 = H10 + HOUR;
    static final double NO_NOISE = 1e300;

    /** The aggregator in a harness with its state on RocksDB. */
    static final class Harness implements AutoCloseable {
        final KeyedOneInputStreamOperatorTestHarness<String, TrendContribution, TopicTrend> h;

        Harness(double epsilon, long minUsers, Long seed, OperatorSubtaskState restore) throws Exception {
            h = new KeyedOneInputStreamOperatorTestHarness<>(
                    new KeyedProcessOperator<>(new TopicTrendAggregator(CATS, epsilon, minUsers, LATENESS, seed)),
                    c -> TopicTrendAggregator.KEY,
                    Types.STRING);
            h.setStateBackend(TestRocksDb.harnessBackend());
            if (restore != null) {
                h.initializeState(restore);
            }
            h.open();
        }

        Harness(double epsilon, long minUsers, Long seed) throws Exception {
            this(epsilon, minUsers, seed, null);
        }

        /** {@code n} contributions of {@code minutes} each to {@code category} in the window at {@code window}. */
        Harness add(long window, String category, int minutes, int n) throws Exception {
            for (int i = 0; i < n; i++) {
                h.processElement(
                        TrendContribution.newBuilder()
                                .setWindowStart(window)
                                .setCategory(category)
                                .setMinutes(minutes)
                                .build(),
                        window + HOUR + LATENESS);
            }
            return this;
        }

        Harness watermark(long wm) throws Exception {
            h.processWatermark(wm);
            return this;
        }

        List<TopicTrend> out() {
            return h.extractOutputValues();
        }

        List<Long> unreleasedWindows() throws Exception {
            h.getOperator().setCurrentKey(TopicTrendAggregator.KEY);
            List<Long> keys = new ArrayList<>();
            h.getOperator()
                    .<String>getKeyedStateBackend()
                    .getPartitionedState(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            TopicTrendAggregator.sumsDescriptor())
                    .keys()
                    .forEach(keys::add);
            return keys;
        }

        Long lastReleased() throws Exception {
            h.getOperator().setCurrentKey(TopicTrendAggregator.KEY);
            return h.getOperator()
                    .<String>getKeyedStateBackend()
                    .getPartitionedState(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            TopicTrendAggregator.cursorDescriptor())
                    .value();
        }

        @Override
        public void close() throws Exception {
            h.close();
        }
    }

    static TopicTrend trend(long window, String category, long users, long minutes, double epsilon) {
        return TopicTrend.newBuilder()
                .setWindowStart(Instant.ofEpochMilli(window))
                .setWindowEnd(Instant.ofEpochMilli(window + HOUR))
                .setCategory(category)
                .setUsers(users)
                .setEngagedMinutes(minutes)
                .setEpsilon(epsilon)
                .build();
    }

    @Test
    void sumsClampsMinutesSuppressesBelow20AndReleasesOnceAtEndPlusLateness() throws Exception {
        try (Harness a = new Harness(NO_NOISE, 20, 1L)) {
            a.add(H10, "news", 12, 20)
                    .add(H10, "news", 50, 3)
                    .add(H10, "news", -4, 2) // 25 users, 20*12 + 3*12 + 0
                    .add(H10, "business", 1, 20) // exactly 20: published
                    .add(H10, "sports", 12, 19) // 19: suppressed
                    .add(H11, "politics", 3, 30); // next window
            assertThat(a.h.numEventTimeTimers()).isEqualTo(2);
            a.watermark(H11 + LATENESS - 1);
            assertThat(a.out()).isEmpty();
            a.watermark(H11 + LATENESS);
            assertThat(a.out())
                    .containsExactly(trend(H10, "news", 25, 276, NO_NOISE), trend(H10, "business", 20, 20, NO_NOISE));
            assertThat(a.unreleasedWindows()).containsExactly(H11);
            assertThat(a.lastReleased()).isEqualTo(H10);

            a.watermark(Long.MAX_VALUE);
            assertThat(a.out()).hasSize(3).last().isEqualTo(trend(H11, "politics", 30, 90, NO_NOISE));
            assertThat(a.unreleasedWindows()).isEmpty();
            assertThat(a.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void everyCategoryOfEveryWindowFromTheFirstToTheLatestActiveOneIsJudged() throws Exception {
        // min-users 0 publishes whatever is judged: the output shows the release domain itself
        try (Harness a = new Harness(NO_NOISE, 0, 1L)) {
            a.add(H10, "sports", 2, 1).add(H10 + 3 * HOUR, "news", 0, 1);
            a.watermark(Long.MAX_VALUE);
            List<TopicTrend> out = a.out();
            assertThat(out).hasSize(4 * CATS.size());
            for (int w = 0; w < 4; w++) {
                for (int c = 0; c < CATS.size(); c++) {
                    long window = H10 + w * HOUR;
                    String category = CATS.get(c);
                    long users = (w == 0 && category.equals("sports")) || (w == 3 && category.equals("news")) ? 1 : 0;
                    long minutes = w == 0 && category.equals("sports") ? 2 : 0;
                    assertThat(out.get(w * CATS.size() + c))
                            .isEqualTo(trend(window, category, users, minutes, NO_NOISE));
                }
            }
        }
    }

    @Test
    void gapsOfMoreThanAWeekAreNotFilled() throws Exception {
        try (Harness a = new Harness(NO_NOISE, 0, 1L)) {
            long far = H10 + (TopicTrendAggregator.MAX_FILLED_WINDOWS + 2) * HOUR; // 169 empty windows between
            long near = far + (TopicTrendAggregator.MAX_FILLED_WINDOWS + 1) * HOUR; // 168 empty windows between
            a.add(H10, "news", 0, 1)
                    .add(far, "news", 0, 1)
                    .add(near, "news", 0, 1)
                    .watermark(Long.MAX_VALUE);
            assertThat(a.out().stream()
                            .map(t -> t.getWindowStart().toEpochMilli())
                            .distinct()
                            .toList())
                    .hasSize(3 + TopicTrendAggregator.MAX_FILLED_WINDOWS)
                    .startsWith(H10, far, far + HOUR)
                    .endsWith(near);
        }
    }

    @Test
    void contributionsAfterTheReleaseAndUnknownCategoriesAreDropped() throws Exception {
        try (Harness a = new Harness(NO_NOISE, 1, 1L)) {
            a.add(H10, "news", 1, 1).watermark(H11 + LATENESS);
            assertThat(a.out()).containsExactly(trend(H10, "news", 1, 1, NO_NOISE));
            // for the released window: dropped, never released again
            a.add(H10, "news", 1, 5);
            // first contribution of a window whose release time the watermark has passed: dropped too
            a.watermark(H11 + HOUR + LATENESS);
            a.add(H11, "politics", 1, 5);
            a.add(H11 + HOUR, "astrology", 1, 5).add(H11 + HOUR, "sports", 4, 1);
            a.watermark(Long.MAX_VALUE);
            // H11 is released as an empty window (nothing published at min-users 1); H12 has sports only
            assertThat(a.out())
                    .containsExactly(trend(H10, "news", 1, 1, NO_NOISE), trend(H11 + HOUR, "sports", 1, 4, NO_NOISE));
            assertThat(a.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void unreleasedSumsAndTheCursorSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (Harness a = new Harness(NO_NOISE, 1, 1L)) {
            a.add(H10, "news", 12, 2).watermark(H11 + LATENESS);
            a.add(H11, "news", 3, 4);
            snapshot = a.h.snapshot(1, 1);
        }
        try (Harness b = new Harness(NO_NOISE, 1, 1L, snapshot)) {
            b.add(H11, "news", 3, 1).add(H10, "news", 12, 1); // H10: released before the snapshot
            b.watermark(Long.MAX_VALUE);
            assertThat(b.out()).containsExactly(trend(H11, "news", 5, 15, NO_NOISE));
        }
    }

    @Test
    void noiseAtTheDefaultsMatchesTheExactMechanismAndIsReproducibleWithASeed() throws Exception {
        int windows = 300;
        List<TopicTrend> out;
        try (Harness a = new Harness(1.0, 20, 20241105L)) {
            for (int w = 0; w < windows; w++) {
                a.add(H10 + w * HOUR, "news", 10, 100); // true: 100 users, 1000 minutes; other 4 categories 0
            }
            a.watermark(Long.MAX_VALUE);
            out = a.out();
        }
        try (Harness again = new Harness(1.0, 20, 20241105L)) {
            for (int w = 0; w < windows; w++) {
                again.add(H10 + w * HOUR, "news", 10, 100);
            }
            again.watermark(Long.MAX_VALUE);
            assertThat(again.out()).isEqualTo(out);
        }
        assertThat(out).allSatisfy(t -> {
            assertThat(t.getEpsilon()).isEqualTo(1.0);
            assertThat(t.getUsers()).isGreaterThanOrEqualTo(20);
            assertThat(t.getEngagedMinutes()).isNotNegative();
        });
        List<TopicTrend> news =
                out.stream().filter(t -> t.getCategory().equals("news")).toList();
        // users: scale 5 / 0.5 = 10; 100 - 20 = 80 is 8 scales: P(suppressed) = a^81/(1+a), about 2e-4
        assertThat(news).hasSize(windows);
        double aUsers = Math.exp(-0.5 / 5);
        double varUsers = 2 * aUsers / Math.pow(1 - aUsers, 2); // 199.2
        double meanUsers =
                news.stream().mapToLong(TopicTrend::getUsers).average().orElseThrow();
        assertThat(meanUsers).isCloseTo(100, within(4 * Math.sqrt(varUsers / windows)));
        assertThat(news.stream().mapToLong(TopicTrend::getUsers).distinct().count())
                .isGreaterThan(20);
        // minutes: scale 60 / 0.5 = 120; 1000 is 8 scales above 0, so clamping is negligible
        double aMin = Math.exp(-0.5 / 60);
        double varMin = 2 * aMin / Math.pow(1 - aMin, 2); // about 28,800
        double meanMin =
                news.stream().mapToLong(TopicTrend::getEngagedMinutes).average().orElseThrow();
        assertThat(meanMin).isCloseTo(1000, within(4 * Math.sqrt(varMin / windows)));
        // the empty categories: each judged in every window, published iff Z >= 20: P = a^20 / (1 + a)
        long emptyTrials = (long) windows * (CATS.size() - 1);
        long emptyReleased = out.size() - news.size();
        double p = Math.pow(aUsers, 20) / (1 + aUsers); // 0.0710
        assertThat((double) emptyReleased / emptyTrials)
                .isCloseTo(p, within(4.5 * Math.sqrt(p * (1 - p) / emptyTrials)));
    }

    @Test
    void negativeNoisyMinutesAreClampedToZero() throws Exception {
        int windows = 400;
        List<TopicTrend> out;
        try (Harness a = new Harness(1.0, Long.MIN_VALUE, 99L)) { // publish everything
            for (int w = 0; w < windows; w++) {
                a.add(H10 + w * HOUR, "news", 0, 1);
            }
            a.watermark(Long.MAX_VALUE);
            out = a.out();
        }
        assertThat(out).hasSize(windows * CATS.size());
        assertThat(out).allSatisfy(t -> assertThat(t.getEngagedMinutes()).isNotNegative());
        // true minutes 0: P(clamped to 0) = P(Z <= 0) = 1 / (1 + a), a = exp(-0.5 / 60)
        double a = Math.exp(-0.5 / 60);
        double p = 1 / (1 + a);
        long zeros = out.stream().filter(t -> t.getEngagedMinutes() == 0).count();
        assertThat((double) zeros / out.size()).isCloseTo(p, within(4.5 * Math.sqrt(p * (1 - p) / out.size())));
        // users are not clamped: negative noisy counts are published as they are when min-users allows
        assertThat(out).anySatisfy(t -> assertThat(t.getUsers()).isNegative());
    }
}
