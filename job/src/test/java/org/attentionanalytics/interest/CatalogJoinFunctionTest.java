package org.attentionanalytics.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.view;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.testutil.TestRocksDb;
import org.junit.jupiter.api.Test;

/** The catalog join on RocksDB, in Flink's operator test harness, against values computed by hand. */
class CatalogJoinFunctionTest {
    private static final String U = "u1";

    /** The join of {@code topicDepth} on RocksDB, opened (restored from {@code state} when not null). */
    private static final class Join implements AutoCloseable {
        final KeyedCoProcessOperator<String, AttentionEvent, CatalogUpdate, AttentionEvent> operator;
        final KeyedTwoInputStreamOperatorTestHarness<String, AttentionEvent, CatalogUpdate, AttentionEvent> harness;

        Join(int topicDepth, OperatorSubtaskState state) throws Exception {
            operator = new KeyedCoProcessOperator<>(new CatalogJoinFunction(topicDepth));
            harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                    operator, AttentionEvent::getItemId, CatalogUpdate::getItemId, Types.STRING);
            harness.setStateBackend(TestRocksDb.harnessBackend());
            if (state != null) {
                harness.initializeState(state);
            }
            harness.open();
        }

        Join(int topicDepth) throws Exception {
            this(topicDepth, null);
        }

        Join event(AttentionEvent e) throws Exception {
            harness.processElement1(e, e.getEventTime());
            return this;
        }

        Join profile(String item, List<String> topics, List<Double> weights) throws Exception {
            harness.processElement2(
                    CatalogUpdate.newBuilder()
                            .setItemId(item)
                            .setTopics(topics)
                            .setWeights(weights)
                            .setDeleted(false)
                            .build(),
                    0L);
            return this;
        }

        Join tombstone(String item) throws Exception {
            harness.processElement2(
                    CatalogUpdate.newBuilder()
                            .setItemId(item)
                            .setTopics(List.of())
                            .setWeights(List.of())
                            .setDeleted(true)
                            .build(),
                    0L);
            return this;
        }

        List<AttentionEvent> out() {
            return harness.extractOutputValues();
        }

        long counter(String name) {
            Object v = operator.getRuntimeContext().getAccumulator(name).getLocalValue();
            return (Long) v;
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    @Test
    void profileBeforeTheEvent() throws Exception {
        try (Join j = new Join(0)) {
            AttentionEvent e = view(U, "a1", at(0, 0));
            j.profile("a1", List.of("news.politics", "sports"), List.of(3.0, 1.0))
                    .event(e);

            assertThat(j.out()).hasSize(1);
            AttentionEvent out = j.out().get(0);
            assertThat(out.getTopics()).containsExactly("news.politics", "sports");
            assertThat(out.getTopicWeights()).containsExactly(0.75, 0.25); // 3/4, 1/4
            assertThat(out.getEventId()).isEqualTo(e.getEventId());
            assertThat(out.getUser()).isEqualTo(U);
            assertThat(out.getEventTime()).isEqualTo(at(0, 0));
            assertThat(out.getItemId()).isEqualTo("a1");
            assertThat(j.counter(CatalogJoinFunction.EVENTS_ENRICHED)).isEqualTo(1);
            assertThat(j.counter(CatalogJoinFunction.EVENTS_WITHOUT_PROFILE)).isZero();
            assertThat(j.counter(CatalogJoinFunction.CATALOG_UPDATES)).isEqualTo(1);
        }
    }

    @Test
    void profileAfterTheEvent() throws Exception {
        try (Join j = new Join(0)) {
            j.event(view(U, "a1", at(0, 0)));
            assertThat(j.out()).hasSize(1);
            assertThat(j.out().get(0).getTopics()).isEmpty(); // no profile yet: out unchanged, no signal
            assertThat(j.out().get(0).getTopicWeights()).isEmpty();
            assertThat(j.counter(CatalogJoinFunction.EVENTS_WITHOUT_PROFILE)).isEqualTo(1);

            j.profile("a1", List.of("sports"), List.of(2.0)).event(dwell(U, "a1", 30_000, at(0, 30)));
            assertThat(j.out()).hasSize(2); // the first event is not revised
            assertThat(j.out().get(1).getTopics()).containsExactly("sports");
            assertThat(j.out().get(1).getTopicWeights()).containsExactly(1.0); // 2/2
            assertThat(j.out().get(1).getDwellMs()).isEqualTo(30_000);
            assertThat(j.counter(CatalogJoinFunction.EVENTS_WITHOUT_PROFILE)).isEqualTo(1);
            assertThat(j.counter(CatalogJoinFunction.EVENTS_ENRICHED)).isEqualTo(1);
        }
    }

    @Test
    void profileUpdatedBetweenTwoEvents() throws Exception {
        try (Join j = new Join(0)) {
            j.profile("a1", List.of("sports"), List.of(1.0))
                    .event(view(U, "a1", at(0, 0)))
                    .profile("a1", List.of("news", "sports"), List.of(1.0, 3.0))
                    .event(view(U, "a1", at(1, 0)));

            assertThat(j.out())
                    .extracting(AttentionEvent::getTopics)
                    .containsExactly(List.of("sports"), List.of("news", "sports"));
            assertThat(j.out())
                    .extracting(AttentionEvent::getTopicWeights)
                    .containsExactly(List.of(1.0), List.of(0.25, 0.75)); // 1/4, 3/4
        }
    }

    @Test
    void aTombstoneRemovesTheProfile() throws Exception {
        try (Join j = new Join(0)) {
            j.profile("a1", List.of("sports"), List.of(1.0))
                    .event(view(U, "a1", at(0, 0)))
                    .tombstone("a1")
                    .event(view(U, "a1", at(1, 0)));

            assertThat(j.out()).extracting(AttentionEvent::getTopics).containsExactly(List.of("sports"), List.of());
            assertThat(j.counter(CatalogJoinFunction.EVENTS_WITHOUT_PROFILE)).isEqualTo(1);
            assertThat(j.counter(CatalogJoinFunction.CATALOG_UPDATES)).isEqualTo(2);
        }
    }

    @Test
    void topicDepthRollsUpAndMergesWeights() throws Exception {
        try (Join j = new Join(2)) {
            // kettle 3 + toaster 1 -> appliances.kitchen 4; home 2; a zero weight gets no share: dropped. Sum 6.
            j.profile(
                            "a1",
                            List.of(
                                    "appliances.kitchen.kettle",
                                    "appliances.kitchen.toaster",
                                    "home",
                                    "news.politics.eu"),
                            List.of(3.0, 1.0, 2.0, 0.0))
                    .event(view(U, "a1", at(0, 0)));

            AttentionEvent out = j.out().get(0);
            assertThat(out.getTopics()).containsExactly("appliances.kitchen", "home");
            assertThat(out.getTopicWeights()).hasSize(2);
            assertThat(out.getTopicWeights().get(0)).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(out.getTopicWeights().get(1)).isCloseTo(1.0 / 3, within(1e-12));
        }
    }

    @Test
    void aProfileWithoutUsableTopicsRemovesTheProfile() throws Exception {
        try (Join j = new Join(0)) {
            j.profile("a1", List.of("sports"), List.of(1.0))
                    .profile("a1", List.of("news", "sports"), List.of(0.0, Double.NaN))
                    .event(view(U, "a1", at(0, 0)));
            assertThat(j.out().get(0).getTopics()).isEmpty();
            assertThat(j.counter(CatalogJoinFunction.EVENTS_WITHOUT_PROFILE)).isEqualTo(1);
        }
    }

    @Test
    void itemsAreIndependent() throws Exception {
        try (Join j = new Join(0)) {
            j.profile("a1", List.of("sports"), List.of(1.0))
                    .event(view(U, "b2", at(0, 0)))
                    .event(view(U, "a1", at(0, 1)));
            assertThat(j.out()).extracting(AttentionEvent::getItemId).containsExactly("b2", "a1");
            assertThat(j.out()).extracting(AttentionEvent::getTopics).containsExactly(List.of(), List.of("sports"));
        }
    }

    @Test
    void profilesSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (Join j = new Join(1)) {
            j.profile("a1", List.of("news.politics", "news.economy"), List.of(1.0, 1.0));
            snapshot = j.harness.snapshot(1L, 1L);
        }
        try (Join restored = new Join(1, snapshot)) {
            restored.event(view(U, "a1", at(0, 0)));
            assertThat(restored.out().get(0).getTopics()).containsExactly("news");
            assertThat(restored.out().get(0).getTopicWeights()).containsExactly(1.0);
        }
    }

    @Test
    void stateIsAvroSerialised() {
        var descriptor = CatalogJoinFunction.stateDescriptor();
        descriptor.initializeSerializerUnlessSet(new org.apache.flink.api.common.ExecutionConfig());
        assertThat(descriptor.getName()).isEqualTo(CatalogJoinFunction.STATE_NAME);
        assertThat(descriptor.getSerializer())
                .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroSerializer.class);
    }

    @Test
    void weightsNearTheLargestDoubleNormaliseWithoutOverflow() {
        // 1.7e308 + 1.7e308 is infinity; divided by the largest first: 1 and 1, normalised 0.5 and 0.5
        org.attentionanalytics.avro.internal.ItemTopics p =
                CatalogJoinFunction.toProfile(List.of("news.a", "news.b"), List.of(1.7e308, 1.7e308), 0);
        assertThat(p.getWeights()).containsExactly(0.5, 0.5);
        // rolled up to "news": one topic of weight 1
        assertThat(CatalogJoinFunction.toProfile(List.of("news.a", "news.b"), List.of(1.7e308, 1.7e308), 1)
                        .getWeights())
                .containsExactly(1.0);
    }
}
