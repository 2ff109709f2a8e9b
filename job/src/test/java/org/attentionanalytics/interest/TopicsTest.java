package org.attentionanalytics.interest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void rollUpKeepsTheFirstSegments() {
        assertThat(Topics.rollUp("appliances.kitchen.kettle", 2)).isEqualTo("appliances.kitchen");
        assertThat(Topics.rollUp("appliances.kitchen.kettle", 1)).isEqualTo("appliances");
        assertThat(Topics.rollUp("appliances.kitchen.kettle", 3)).isEqualTo("appliances.kitchen.kettle");
        assertThat(Topics.rollUp("appliances.kitchen.kettle", 9)).isEqualTo("appliances.kitchen.kettle");
        assertThat(Topics.rollUp("sports", 1)).isEqualTo("sports");
    }

    @Test
    void depthZeroOrLessKeepsTopicsWhole() {
        assertThat(Topics.rollUp("appliances.kitchen.kettle", 0)).isEqualTo("appliances.kitchen.kettle");
        assertThat(Topics.rollUp("appliances.kitchen.kettle", -1)).isEqualTo("appliances.kitchen.kettle");
        assertThat(Topics.rollUp(null, 2)).isNull();
    }

    @Test
    void equalSharesBecomeDistinctInOrderOfFirstAppearance() {
        Topics.Weighted t = Topics.rollUp(List.of("a.x", "b", "a.y", "b.z"), List.of(), 1);
        assertThat(t.topics()).containsExactly("a", "b");
        assertThat(t.weights()).isEmpty();
    }

    @Test
    void weightsOfMergedTopicsAreSummed() {
        // a.x 0.5 + a.y 0.25 -> a 0.75; b 0.25
        Topics.Weighted t = Topics.rollUp(List.of("a.x", "b", "a.y"), List.of(0.5, 0.25, 0.25), 1);
        assertThat(t.topics()).containsExactly("a", "b");
        assertThat(t.weights()).containsExactly(0.75, 0.25);
    }

    @Test
    void duplicatesMergeEvenWithoutRollUp() {
        Topics.Weighted t = Topics.rollUp(List.of("a", "b", "a"), List.of(1.0, 2.0, 3.0), 0);
        assertThat(t.topics()).containsExactly("a", "b");
        assertThat(t.weights()).containsExactly(4.0, 2.0);
        assertThat(Topics.rollUp(List.of("a", "b", "a"), List.of(), 0).topics()).containsExactly("a", "b");
    }

    @Test
    void unchangedListsAreReturnedAsTheyAre() {
        List<String> topics = List.of("news.politics", "sports");
        List<Double> weights = List.of(0.5, 0.5);
        Topics.Weighted t = Topics.rollUp(topics, weights, 2);
        assertThat(t.topics()).isSameAs(topics);
        assertThat(t.weights()).isSameAs(weights);
        List<Double> none = List.of();
        assertThat(Topics.rollUp(topics, none, 0).topics()).isSameAs(topics);
    }

    @Test
    void emptyTopicsAreDroppedAndMismatchedWeightsMeanEqualShares() {
        Topics.Weighted t = Topics.rollUp(List.of("", "a.b"), List.of(1.0), 1);
        assertThat(t.topics()).containsExactly("a");
        assertThat(t.weights()).isEmpty();
        assertThat(Topics.rollUp(List.of(""), List.of(), 1).isEmpty()).isTrue();
        assertThat(Topics.rollUp(List.of(), List.of(), 1).isEmpty()).isTrue();
    }

    @Test
    void normalisedWeightsSumToOne() {
        assertThat(Topics.normalised(List.of(3.0, 1.0))).containsExactly(0.75, 0.25);
    }
}
