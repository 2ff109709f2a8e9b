package org.attentionanalytics.attention;

import java.io.Serializable;
import java.util.List;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.UserState;

/**
 * Attributes a view or its engaged time to one category (DESIGN.md section 7, "Categories"): the
 * category of the view's main topic by the {@link CategoryRules}, {@value CategoryRules#OTHER}
 * without topics. Categories are indexes into this user's category dictionary, {@code
 * AttentionState.categories}, which the days' engaged ms refer to; topics are indexes into {@code
 * UserState.topic_dictionary}.
 */
final class CategoryAttribution implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CategoryRules rules;

    CategoryAttribution(AttentionSettings settings) {
        this.rules = settings.rules();
    }

    /** @return the dictionary index of the main topic: largest catalog weight (ties: first), else the first; -1 when none */
    static int mainTopic(List<Integer> topics, List<Double> weights) {
        if (topics.isEmpty()) {
            return -1;
        }
        int best = 0;
        if (weights.size() == topics.size()) {
            for (int k = 1; k < topics.size(); k++) {
                if (weights.get(k) > weights.get(best)) {
                    best = k;
                }
            }
        }
        return topics.get(best);
    }

    /** @return the index in this user's category dictionary of the main topic's category (added when new) */
    int categoryIndex(UserState st, AttentionState a, int mainTopic) {
        String category = mainTopic < 0
                ? CategoryRules.OTHER
                : rules.categoryOf(st.getTopicDictionary().get(mainTopic));
        List<String> categories = a.getCategories();
        for (int i = 0; i < categories.size(); i++) {
            if (categories.get(i).equals(category)) {
                return i;
            }
        }
        categories.add(category);
        return categories.size() - 1;
    }
}
