package org.attentionanalytics.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.SessionState;
import org.attentionanalytics.avro.internal.UserState;

/**
 * What an erasure (DESIGN.md section 9) reports about the per-user state it clears. The per-user
 * operator works on all of a user's state as one {@link UserState} value (joined from its keyed
 * states, {@code UserStateDescriptors.KEYED_STATE_NAMES}), so clearing that value (plus deleting
 * the user's timer) erases every piece of it, including fields added to {@code
 * UserState} later; {@link #cleared} names every field that held something, so the audit record
 * stays complete when fields are added.
 */
public final class Erasure {
    /** Sessions (open or closed, kept for late events). */
    public static final String SESSIONS = "sessions";
    /** Events buffered until the watermark passes them. */
    public static final String PENDING_EVENTS = "pending-events";
    /** De-duplication memory (hashes of recent event ids). */
    public static final String DEDUPE = "dedupe";
    /** The time-decayed interest vector. */
    public static final String INTEREST_VECTOR = "interest-vector";
    /** Name in {@code cleared}: the user's not yet released topic-trend contributions ({@code trend_windows}). */
    public static final String TREND_WINDOWS = "trend-windows";
    /** The user's registered event-time timer. */
    public static final String TIMERS = "timers";
    /**
     * The recommendations' per-user history and waiting lists (DESIGN.md section 12), cleared by
     * their own operators when the erasure reaches them; in {@code cleared} when recommendations are on
     * and the user's per-user state held anything (the history is fed from it and expires with it).
     */
    public static final String RECOMMENDATION_HISTORY = "recommendation-history";

    /**
     * Names in the audit record of the {@link UserState} fields of DESIGN.md; every other field
     * that holds something is reported by its field name. {@code topic_dictionary} (the strings
     * that sessions and the interest vector refer to) and {@code next_timer} (reported as {@link
     * #TIMERS}) are not reported on their own.
     */
    private static final Map<String, String> NAMES = Map.of(
            "sessions", SESSIONS,
            "pending", PENDING_EVENTS,
            "dedupe_hashes", DEDUPE,
            "interest", INTEREST_VECTOR,
            "trend_windows", TREND_WINDOWS);

    private static final List<String> NOT_REPORTED = List.of("topic_dictionary", "dedupe_times", "next_timer");

    private Erasure() {}

    /**
     * @param st the user's state before the erasure, or null when there was none
     * @return the names of the state that held something, in {@link UserState} field order, then
     *     {@link #TIMERS} when a timer was registered ({@code next_timer} set); empty for no state.
     *     A field not named in {@link #NAMES} counts when its value differs from the field's default.
     */
    public static List<String> cleared(UserState st) {
        List<String> out = new ArrayList<>();
        if (st == null) {
            return out;
        }
        UserState empty = UserState.newBuilder().build();
        for (Schema.Field f : UserState.getClassSchema().getFields()) {
            if (NOT_REPORTED.contains(f.name())) {
                continue;
            }
            Object v = st.get(f.pos());
            if (!isEmpty(v, empty.get(f.pos()))) {
                out.add(NAMES.getOrDefault(f.name(), f.name()));
            }
        }
        if (st.getNextTimer() != Long.MIN_VALUE) {
            out.add(TIMERS);
        }
        return out;
    }

    private static boolean isEmpty(Object value, Object defaultValue) {
        if (value == null) {
            return true;
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return value.equals(defaultValue);
    }

    /** @return the sessions of {@code st} that are open (neither closed nor superseded): the {@code openSessions} gauge's share */
    public static int openSessions(UserState st) {
        int n = 0;
        if (st != null) {
            for (SessionState s : st.getSessions()) {
                if (!s.getClosed()) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * @param requestId the {@code ErasureRequest}'s {@code request_id}
     * @param user the pseudonym
     * @param erasedAtMs processing time of the erasure, ms since epoch (UTC)
     * @param cleared {@link #cleared}
     * @return the record for {@code privacy-audit}
     */
    public static ErasureConfirmation confirmation(
            String requestId, String user, long erasedAtMs, List<String> cleared) {
        return ErasureConfirmation.newBuilder()
                .setRequestId(requestId)
                .setUser(user)
                .setErasedAt(Instant.ofEpochMilli(erasedAtMs))
                .setCleared(new ArrayList<>(cleared))
                .build();
    }

    /** @return the tombstone of {@code user} for {@code interest-vectors} */
    public static InterestVectorUpdate tombstone(String user) {
        return InterestVectorUpdate.newBuilder().setUser(user).setVector(null).build();
    }
}
