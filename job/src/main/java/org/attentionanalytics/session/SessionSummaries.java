package org.attentionanalytics.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.avro.internal.ViewState;

/** A session's {@link SessionSummary} from its state, as DESIGN.md section 5 defines the fields. */
public final class SessionSummaries {
    /** Number of topics in {@code top_topics}. */
    public static final int TOP_TOPICS = 5;

    private SessionSummaries() {}

    /**
     * The summary of a session as DESIGN.md section 5 defines it: {@code top_topics} by engaged time
     * (a view's engaged time shared by its topics in proportion to their catalog weights, or equally;
     * ties: more views, then name), {@code topic_switches} over views in event-time order by their
     * main topic (the heaviest catalog topic, else the first inline one; views without topics are
     * skipped).
     *
     * {@code engaged} follows the rules' {@link SessionRules.EngagedRule} ({@code purchase} in the
     * state marks a conversion event); {@code bounce} is its negation, so no session is neither.
     * {@code engaged_inferred} is true when {@code dwell.infer-from-gaps} is on (the option is for
     * sources without dwell, so a session's engaged time then comes from gaps).
     */
    public static SessionSummary summarize(
            UserState state, String user, SessionState s, SessionStatus status, SessionRules rules) {
        List<ViewState> views = s.getViews();
        List<String> dictionary = state.getTopicDictionary();
        double[] engagedByTopic = new double[dictionary.size()];
        double[] viewsByTopic = new double[dictionary.size()];
        int switches = 0;
        int previous = -1;
        for (ViewState v : views) {
            List<Integer> topics = v.getTopics();
            if (topics.isEmpty()) {
                continue;
            }
            List<Double> weights = v.getTopicWeights();
            double total = 0;
            for (int k = 0; k < topics.size(); k++) {
                total += weights.isEmpty() ? 1 : weights.get(k);
            }
            int main = topics.get(0);
            for (int k = 0; k < topics.size(); k++) {
                double share = (weights.isEmpty() ? 1 : weights.get(k)) / total;
                engagedByTopic[topics.get(k)] += v.getEngagedMs() * share;
                viewsByTopic[topics.get(k)] += share;
                if (!weights.isEmpty() && weights.get(k) > weights.get(topics.indexOf(main))) {
                    main = topics.get(k);
                }
            }
            if (previous >= 0 && main != previous) {
                switches++;
            }
            previous = main;
        }
        List<Integer> ranked = new ArrayList<>();
        for (int i = 0; i < dictionary.size(); i++) {
            if (viewsByTopic[i] > 0) {
                ranked.add(i);
            }
        }
        ranked.sort((a, b) -> {
            int c = Double.compare(engagedByTopic[b], engagedByTopic[a]);
            if (c == 0) {
                c = Double.compare(viewsByTopic[b], viewsByTopic[a]);
            }
            return c != 0 ? c : dictionary.get(a).compareTo(dictionary.get(b));
        });
        List<String> top = new ArrayList<>(TOP_TOPICS);
        for (int i = 0; i < Math.min(TOP_TOPICS, ranked.size()); i++) {
            top.add(dictionary.get(ranked.get(i)));
        }
        int viewCount = views.size();
        long engaged = s.getEngagedMs();
        boolean engagedSession = rules.engaged().engaged(viewCount, engaged, s.getPurchase());
        return SessionSummary.newBuilder()
                .setSessionId(s.getSessionId())
                .setUser(user)
                .setStart(Instant.ofEpochMilli(s.getStart()))
                .setEnd(Instant.ofEpochMilli(s.getEnd()))
                .setDurationMs(s.getEnd() - s.getStart())
                .setEventCount(s.getEventCount())
                .setViews(viewCount)
                .setClicks(s.getClicks())
                .setEngagedMs(engaged)
                .setDistinctItems(s.getItems().size())
                .setTopTopics(top)
                .setTopicSwitches(switches)
                .setBounce(!engagedSession)
                .setEngaged(engagedSession)
                .setEngagedInferred(rules.inferFromGaps())
                .setStatus(status)
                .build();
    }
}
