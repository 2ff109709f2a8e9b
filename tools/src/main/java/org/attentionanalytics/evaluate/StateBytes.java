package org.attentionanalytics.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.attentionanalytics.pipeline.Uids;

/**
 * The recommendation operators' checkpointed state at the end of a run, per key: bytes of the
 * item-keyed operators per distinct item viewed, of the user-keyed ones and the buckets of similar
 * users per distinct user, of the
 * popularity tables (overall, per topic) in all. Or, when the sizes could not be had, the reason.
 *
 * @param bytesByUid checkpointed bytes per operator uid (all parallel subtasks), empty when n/a
 * @param unavailable why there are no sizes, null when there are
 */
public record StateBytes(Map<String, Long> bytesByUid, String unavailable) {
    /** Keyed by item. */
    public static final List<String> PER_ITEM = List.of(Uids.RECS_ITEM_GATE, Uids.RECS_ITEM_NEIGHBOURS);
    /** Keyed by user, or holding users (the buckets of similar users, keyed by bucket: bytes per user too). */
    public static final List<String> PER_USER =
            List.of(Uids.RECS_USER_HISTORY, Uids.RECS_SIMILAR_USERS, Uids.RECS_RANKING);
    /** One key (the popularity table), or a few (the topics' tables): bytes in all. */
    public static final List<String> ONE_KEY = List.of(Uids.RECS_POPULAR_ITEMS, Uids.RECS_TOPIC_ITEMS);

    /** Sizes of every operator uid the run had. */
    public static StateBytes of(Map<String, Long> bytesByUid) {
        return new StateBytes(Map.copyOf(bytesByUid), null);
    }

    /** No sizes, for {@code reason}. */
    public static StateBytes unavailable(String reason) {
        return new StateBytes(Map.of(), reason);
    }

    /**
     * Bytes per key of each recommendation operator the run had, in the order of {@link #PER_ITEM},
     * {@link #PER_USER}, {@link #ONE_KEY}: {@code {"uid": {"bytes": B, "per": "item", "bytes_per_key":
     * B / items}}}.
     */
    public Map<String, Map<String, Object>> perKey(long items, long users) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        add(out, PER_ITEM, "item", items);
        add(out, PER_USER, "user", users);
        add(out, ONE_KEY, "key", 1);
        return out;
    }

    private void add(Map<String, Map<String, Object>> out, List<String> uids, String per, long keys) {
        for (String uid : uids) {
            Long bytes = bytesByUid.get(uid);
            if (bytes != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("bytes", bytes);
                m.put("per", per);
                m.put("bytes_per_key", keys == 0 ? null : bytes / (double) keys);
                out.put(uid, m);
            }
        }
    }

    /**
     * One line: {@code State bytes: recs-item-gate 41 B/item, ..., recs-popular-items 2,310 B}, or
     * {@code State bytes: n/a (reason)}.
     */
    public String line(long items, long users) {
        Map<String, Map<String, Object>> perKey = perKey(items, users);
        if (unavailable != null || perKey.isEmpty()) {
            return "State bytes: n/a ("
                    + (unavailable != null ? unavailable : "the run had none of the operators recs-*")
                    + ")";
        }
        StringJoiner line =
                new StringJoiner(", ", "State bytes: ", String.format(" (%,d items, %,d users)", items, users));
        perKey.forEach((uid, m) -> {
            Object perKeyBytes = m.get("bytes_per_key");
            line.add(
                    "key".equals(m.get("per"))
                            ? String.format("%s %,d B", uid, (Long) m.get("bytes"))
                            : String.format(
                                    "%s %,.1f B/%s",
                                    uid, perKeyBytes == null ? 0.0 : (Double) perKeyBytes, m.get("per")));
        });
        return line.toString();
    }
}
