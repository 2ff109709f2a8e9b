package org.attentionanalytics.pipeline;

/**
 * The operator names users see: in the Flink web UI, in metric scopes and in REST answers
 * (scripts under {@code deploy/} look the per-user operator up by its name). The uid of each step
 * is in {@link Uids}; a name may change, but scripts, README and DESIGN.md then change with it.
 */
public final class StepNames {
    public static final String DOOR = "Door: route events, dead letters, bots";
    public static final String DOOR_CONTROL = "Door (control): budgets, focus blocks, erasure requests, dead letters";
    public static final String DOOR_CATALOG = "Door (catalog): dead letters";
    public static final String WITH_SESSION_ID = "Events with a session id";
    public static final String WITHOUT_SESSION_ID = "Events without a session id";
    public static final String ERASURES_ONLY = "Erasure requests";
    public static final String CLIENT_SESSIONS = "Client sessions (by session id): one identity, max duration";
    public static final String TOPIC_DEPTH = "Topics: roll up, route to catalog join";
    public static final String CATALOG_JOIN = "Catalog join (by item_id)";
    public static final String USER_ACTIVITY = "Per-user activity (dedupe, sessions, interest vector)";
    public static final String TOPIC_TRENDS = "Topic trends (differential privacy)";

    public static final String RECS_VIEWS = "Recommendations: views";
    public static final String RECS_OTHER_SIGNALS = "Recommendations: purchases, session ends, erasures";
    public static final String RECS_ITEM_GATE = "Recommendations: item gate (by item, views counted up to fMax)";
    public static final String RECS_USER_HISTORY = "Recommendations: user history (by user, pairs within sessions)";
    public static final String RECS_ITEM_NEIGHBOURS = "Recommendations: item neighbours (by item, top k by cosine)";
    public static final String RECS_POPULAR_ITEMS = "Recommendations: popular items";
    public static final String RECS_TOPIC_ITEMS = "Recommendations: popular items per topic";
    public static final String RECS_SIMILAR_USERS = "Recommendations: similar users";
    public static final String RECS_INTERESTS = "Recommendations: interest vectors";
    public static final String RECS_RANKING = "Recommendations: ranking (by user, mode applied)";
    public static final String RECS_CATALOG_IDLE = "Recommendations: catalog (no event time)";
    public static final String RECS_RANKING_BROADCAST =
            "Recommendations: popularity snapshots (overall, per topic) and catalog topics";

    private StepNames() {}

    /** The name of the source of {@code topic} (the web UI prefixes it with {@code Source: }). */
    public static String source(String topic) {
        return "Kafka source: " + topic;
    }

    /** The name of the sink of {@code topic} (its writer and committer add {@code : Writer}, {@code : Committer}). */
    public static String sink(String topic) {
        return "Kafka sink: " + topic;
    }
}
