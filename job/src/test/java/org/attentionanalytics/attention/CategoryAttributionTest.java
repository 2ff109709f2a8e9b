package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.attention.AttentionFixtures.user;
import static org.attentionanalytics.testutil.Events.minutes;

import java.util.List;
import org.attentionanalytics.avro.internal.UserState;
import org.junit.jupiter.api.Test;

/** {@link CategoryAttribution} without Flink, with the default category rules. */
class CategoryAttributionTest {
    private final CategoryAttribution attribution =
            new CategoryAttribution(AttentionSettings.defaults(minutes(30), minutes(5)));

    @Test
    void theMainTopicHasTheLargestCatalogWeightElseItIsTheFirst() {
        // weights 1, 2, 2: the first of the two largest, topic 5
        assertThat(CategoryAttribution.mainTopic(List.of(3, 5, 7), List.of(1.0, 2.0, 2.0)))
                .isEqualTo(5);
        // inline topics (no weights), or weights not parallel to the topics: the first
        assertThat(CategoryAttribution.mainTopic(List.of(3, 5), List.of())).isEqualTo(3);
        assertThat(CategoryAttribution.mainTopic(List.of(3, 5), List.of(1.0))).isEqualTo(3);
        // no topics: none
        assertThat(CategoryAttribution.mainTopic(List.of(), List.of())).isEqualTo(-1);
    }

    @Test
    void eachCategoryGetsOneIndexInTheUsersDictionaryInOrderOfFirstUse() {
        UserState st = user("news.politics", "news.sports.football", "weird.topic");
        // prefix:news.politics -> politics, new: index 0
        assertThat(attribution.categoryIndex(st, st.getAttention(), 0)).isEqualTo(0);
        // prefix:news.sports -> sports, new: index 1
        assertThat(attribution.categoryIndex(st, st.getAttention(), 1)).isEqualTo(1);
        // politics again: its index
        assertThat(attribution.categoryIndex(st, st.getAttention(), 0)).isEqualTo(0);
        // no topic -> other, new: index 2; a topic no rule matches -> other as well
        assertThat(attribution.categoryIndex(st, st.getAttention(), -1)).isEqualTo(2);
        assertThat(attribution.categoryIndex(st, st.getAttention(), 2)).isEqualTo(2);
        assertThat(st.getAttention().getCategories()).containsExactly("politics", "sports", "other");
    }
}
