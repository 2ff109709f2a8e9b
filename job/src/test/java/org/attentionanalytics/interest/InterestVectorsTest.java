package org.attentionanalytics.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.click;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.view;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/** Interest vectors (DESIGN.md section 6) in the per-user operator on RocksDB, and the decay arithmetic. */
class InterestVectorsTest {
    static final String U = "u1";
    static final long DAY = 86_400_000L;
    static final long H = 7 * DAY;

    static Map<String, Double> top(InterestVector v) {
        return v.getTop().stream().collect(Collectors.toMap(TopicWeight::getTopic, TopicWeight::getWeight));
    }

    static InterestVector last(List<InterestVector> vectors) {
        assertThat(vectors).isNotEmpty();
        return vectors.get(vectors.size() - 1);
    }

    /** The worked example of DESIGN.md section 6. */
    @Test
    void workedExample() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(
                    view(U, "s1", T0, "sports"),
                    dwell(U, "s1", 30_000, T0 + 30_000),
                    view(U, "n1", T0 + 7 * DAY, "news"),
                    dwell(U, "n1", 70_000, T0 + 7 * DAY + 70_000));
            h.watermark(T0 + 8 * DAY);
            InterestVector v = last(h.vectors());
            assertThat(v.getAsOf().toEpochMilli()).isEqualTo(T0 + 7 * DAY + 70_000);
            assertThat(v.getNorm()).isCloseTo(4.27190, within(1e-4));
            assertThat(v.getTop()).extracting(TopicWeight::getTopic).containsExactly("news", "sports");
            assertThat(top(v).get("news")).isCloseTo(0.93633, within(1e-4));
            assertThat(top(v).get("sports")).isCloseTo(0.35111, within(1e-4));
            assertThat(v.getEventsCounted()).isEqualTo(4);
            // the weights themselves: unit weight x norm (the top holds the whole vector here)
            assertThat(top(v).get("sports") * v.getNorm()).isCloseTo(1.49991, within(1e-4));
            assertThat(top(v).get("news") * v.getNorm()).isCloseTo(3.99992, within(1e-4));
        }
    }

    static List<AttentionEvent> browsing() {
        List<AttentionEvent> events = new ArrayList<>();
        String[] topics = {"news.politics", "sports", "tech", "news.politics", "travel", "sports"};
        for (int i = 0; i < topics.length; i++) {
            long t = at(3 * i, 0);
            events.add(view(U, "i" + i, t, topics[i]));
            events.add(dwell(U, "i" + i, 5_000L * (i + 1), t + 5_000L * (i + 1)));
        }
        events.add(click(U, EventType.PURCHASE, "i4", at(16, 0), "travel"));
        return events;
    }

    @Test
    void arrivalOrderWithinTheBoundDoesNotChangeTheVectors() throws Exception {
        List<AttentionEvent> shuffled = new ArrayList<>(browsing());
        Collections.shuffle(shuffled, new java.util.Random(7));
        try (SessionHarness inOrder = SessionHarness.defaults();
                SessionHarness mixed = SessionHarness.defaults()) {
            inOrder.send(browsing().toArray(AttentionEvent[]::new)).watermark(at(120, 0));
            mixed.send(shuffled.toArray(AttentionEvent[]::new)).watermark(at(120, 0));
            InterestVector a = last(inOrder.vectors());
            InterestVector b = last(mixed.vectors());
            assertThat(b.getAsOf()).isEqualTo(a.getAsOf());
            assertThat(b.getNorm()).isCloseTo(a.getNorm(), within(1e-9));
            assertThat(b.getTop())
                    .extracting(TopicWeight::getTopic)
                    .containsExactlyElementsOf(
                            a.getTop().stream().map(TopicWeight::getTopic).toList());
            for (int i = 0; i < a.getTop().size(); i++) {
                assertThat(b.getTop().get(i).getWeight())
                        .isCloseTo(a.getTop().get(i).getWeight(), within(1e-9));
            }
        }
    }

    @Test
    void aLateSignalAddsExactlyItsDecayedValue() {
        InterestVectors vectors = new InterestVectors(H);
        UserState st = UserState.newBuilder().build();
        st.getTopicDictionary().add("sports");
        List<Integer> sports = List.of(0);
        vectors.addSignal(st, sports, List.of(), 1, T0 + 3 * DAY);
        double before = weightAt(st, 0, T0 + 3 * DAY);
        vectors.addSignal(st, sports, List.of(), 5, T0); // 3 days late
        double after = weightAt(st, 0, T0 + 3 * DAY);
        assertThat(after - before).isCloseTo(5 * Math.pow(2, -3.0 / 7), within(1e-12));
        assertThat(st.getInterest().getEventsCounted()).isEqualTo(2);
    }

    @Test
    void nothingOverflowsOverYears() {
        InterestVectors vectors = new InterestVectors(H);
        UserState st = UserState.newBuilder().build();
        st.getTopicDictionary().add("a");
        for (int year = 0; year < 20; year++) {
            vectors.addSignal(st, List.of(0), List.of(), 1, T0 + year * 365 * DAY);
        }
        double w = weightAt(st, 0, T0 + 19 * 365 * DAY);
        assertThat(w).isFinite().isCloseTo(1.0, within(1e-9)); // older signals decayed to nothing
        assertThat(st.getInterest().getWeights().get(0)).isLessThan(1e12);
    }

    @Test
    void topic201DropsTheSmallest() {
        InterestVectors vectors = new InterestVectors(H);
        UserState st = UserState.newBuilder().build();
        for (int i = 1; i <= 201; i++) {
            st.getTopicDictionary().add("t" + i);
        }
        for (int i = 1; i <= 200; i++) {
            vectors.addSignal(st, List.of(i - 1), List.of(), i, T0);
        }
        vectors.addSignal(st, List.of(200), List.of(), 100.5, T0);
        assertThat(st.getInterest().getTopics()).hasSize(200).doesNotContain(0).contains(200);
    }

    @Test
    void catalogWeightsShareTheSignal() {
        InterestVectors vectors = new InterestVectors(H);
        UserState st = UserState.newBuilder().build();
        st.getTopicDictionary().addAll(List.of("a", "b"));
        vectors.addSignal(st, List.of(0, 1), List.of(0.75, 0.25), 4, T0);
        assertThat(weightAt(st, 0, T0)).isCloseTo(3.0, within(1e-12));
        assertThat(weightAt(st, 1, T0)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void atMostOncePerEventTimeMinuteWithHeldChangesGoingOutLater() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(view(U, "a", at(0, 0), "news"), view(U, "b", at(0, 20), "sports"), view(U, "c", at(0, 40), "tech"));
            h.watermark(at(0, 50));
            assertThat(h.vectors()).hasSize(1); // the first view; b and c changed it within the same minute: held
            assertThat(top(h.vectors().get(0)).keySet()).containsExactly("news");
            h.send(view(U, "d", at(1, 5), "news")).watermark(at(1, 10));
            assertThat(h.vectors()).hasSize(2);
            assertThat(top(last(h.vectors())).keySet()).containsExactlyInAnyOrder("news", "sports", "tech");
        }
    }

    @Test
    void smallChangesBelowTheCosineThresholdAreNotEmittedButSessionCloseAlwaysIs() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(click(U, EventType.PURCHASE, "a", at(0, 0), "news")); // news 5: first emission
            // news 10, same direction; then sports 1: cosine 10 / sqrt(101) = 0.99504, distance 0.005
            h.send(click(U, EventType.PURCHASE, "b", at(1, 0), "news"), view(U, "c", at(2, 0), "sports"));
            h.watermark(at(2, 30));
            assertThat(h.vectors()).hasSize(1);
            h.watermark(at(40, 0)); // the session closes
            assertThat(h.vectors()).hasSize(2);
            assertThat(last(h.vectors()).getAsOf().toEpochMilli()).isEqualTo(at(2, 0));
            assertThat(top(last(h.vectors())).keySet()).containsExactly("news", "sports");
        }
    }

    @Test
    void eventsWithoutTopicsLeaveTheVectorAlone() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(view(U, "a", at(0, 0)), dwell(U, "a", 20_000, at(0, 20))).watermark(at(60, 0));
            assertThat(h.vectors()).isEmpty(); // a user with no topics yet has no vector
            UserState st = h.state(U);
            assertThat(st == null || st.getInterest() == null).isTrue();
        }
    }

    @Test
    void topicStringsAreStoredOncePerUser() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(browsing().toArray(AttentionEvent[]::new)).watermark(at(17, 0));
            UserState st = h.state(U);
            assertThat(st.getTopicDictionary()).containsExactlyInAnyOrder("news.politics", "sports", "tech", "travel");
            assertThat(st.getInterest().getTopics()).hasSize(4);
            h.watermark(at(120, 0)); // sessions gone: the dictionary keeps what the vector needs
            assertThat(h.state(U).getTopicDictionary())
                    .containsExactlyInAnyOrder("news.politics", "sports", "tech", "travel");
            assertThat(h.state(U).getSessions()).isEmpty();
        }
    }

    static double weightAt(UserState st, int topic, long t) {
        var v = st.getInterest();
        int at = v.getTopics().indexOf(topic);
        return v.getWeights().get(at) * Math.pow(2, -(t - v.getReferenceTime()) / (double) H);
    }
}
