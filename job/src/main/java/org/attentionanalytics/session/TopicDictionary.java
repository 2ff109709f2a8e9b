package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;
import org.attentionanalytics.interest.InterestVectors;

/**
 * The per-user topic dictionary of {@link UserState}: each topic string once, referred to by
 * index from views and the interest vector. {@link #compact} drops strings no one refers to.
 */
final class TopicDictionary {
    private TopicDictionary() {}

    /** Keeps only the topics that views or the interest vector refer to, renumbering the references. */
    static void compact(UserState st) {
        List<String> dictionary = st.getTopicDictionary();
        Set<Integer> used = new TreeSet<>();
        for (SessionState s : st.getSessions()) {
            for (ViewState v : s.getViews()) {
                used.addAll(v.getTopics());
            }
        }
        InterestVectors.collectTopics(st.getInterest(), used);
        if (used.size() == dictionary.size()) {
            return;
        }
        int[] remap = new int[dictionary.size()];
        List<String> kept = new ArrayList<>(used.size());
        for (int i : used) {
            remap[i] = kept.size();
            kept.add(dictionary.get(i));
        }
        st.setTopicDictionary(kept);
        for (SessionState s : st.getSessions()) {
            for (ViewState v : s.getViews()) {
                List<Integer> topics = new ArrayList<>(v.getTopics().size());
                for (int i : v.getTopics()) {
                    topics.add(remap[i]);
                }
                v.setTopics(topics);
            }
        }
        InterestVectors.remapTopics(st.getInterest(), remap);
    }
}
