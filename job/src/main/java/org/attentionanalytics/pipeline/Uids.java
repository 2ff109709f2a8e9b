package org.attentionanalytics.pipeline;

/**
 * Operator uids, one per step of the graph ({@link StepNames} has their names). Savepoints map
 * state by these: never change one, or the state of that operator is lost on upgrade.
 */
public final class Uids {
    public static final String SOURCE_CLICKSTREAM = "source-clickstream";
    public static final String SOURCE_DWELL = "source-dwell-time";
    /** The source of Snowplow enriched events ({@code --snowplow}). */
    public static final String SOURCE_SNOWPLOW = "source-snowplow-enriched";

    public static final String DOOR = "door";
    public static final String SOURCE_BUDGETS = "source-attention-budgets";
    public static final String SOURCE_FOCUS_BLOCKS = "source-focus-blocks";
    public static final String SOURCE_PRIVACY_REQUESTS = "source-privacy-requests";
    public static final String DOOR_CONTROL = "door-control";
    public static final String SOURCE_CATALOG = "source-content-catalog";
    public static final String DOOR_CATALOG = "door-catalog";
    public static final String CLIENT_SESSIONS = "client-sessions";
    public static final String TOPIC_DEPTH = "topic-depth";
    /** The catalog join; its state is {@code CatalogJoinFunction.STATE_NAME}. */
    public static final String CATALOG_JOIN = "catalog-join";

    public static final String USER_ACTIVITY = "user-activity";
    public static final String SINK_SESSIONS = "sink-sessions";
    /** Added after layout 1: savepoints taken before it have no state for it (a new sink starts empty). */
    public static final String SINK_PAGE_VIEWS = "sink-page-views";

    public static final String SINK_DLQ = "sink-dlq";
    public static final String SINK_INTEREST_VECTORS = "sink-interest-vectors";
    public static final String SINK_LIVE_INTEREST_VECTORS = "sink-interest-vectors-live";
    public static final String SINK_LIVE_RECOMMENDATIONS = "sink-recommendations-live";
    public static final String TOPIC_TRENDS = "topic-trends";
    public static final String SINK_TOPIC_TRENDS = "sink-topic-trends";
    public static final String SINK_PRIVACY_AUDIT = "sink-privacy-audit";
    public static final String SINK_ALERTS = "sink-alerts";
    public static final String SINK_REPORTS = "sink-reports";
    public static final String SINK_FOCUS_BLOCK_REPORTS = "sink-focus-block-reports";

    /** Recommendations (DESIGN.md section 12): keyed by item, by user, by item, one key, by user. */
    public static final String RECS_ITEM_GATE = "recs-item-gate";

    public static final String RECS_USER_HISTORY = "recs-user-history";
    public static final String RECS_ITEM_NEIGHBOURS = "recs-item-neighbours";
    public static final String RECS_POPULAR_ITEMS = "recs-popular-items";
    public static final String RECS_TOPIC_ITEMS = "recs-topic-items";
    public static final String RECS_SIMILAR_USERS = "recs-similar-users";
    public static final String RECS_RANKING = "recs-ranking";
    public static final String SINK_RECOMMENDATIONS = "sink-recommendations";

    private Uids() {}
}
