package org.attentionanalytics.session;

import java.util.List;
import org.apache.flink.streaming.api.TimerService;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;

/**
 * Where the per-user operator keeps each user's {@link UserState} between events: {@link
 * KeyedUserStore} on Flink keyed state, {@link CachedUserStore} on the heap in front of it. Calls
 * are for the operator's current key; {@link #save} writes the value the last {@link #load}
 * returned.
 */
interface UserStore {
    /**
     * @return the user's value with its waiting events ({@code pending}, in {@link EventOrder}) and
     *     its registered timer ({@code next_timer}) joined in; an empty value for a new user
     */
    UserState load(String user) throws Exception;

    /** Writes back the value of the last {@link #load}; {@code null}: the user has no state left. */
    void save(UserState st) throws Exception;

    /**
     * Writes back whatever is held on the heap, before a checkpoint barrier or at the end of input.
     *
     * @param keepWritten keep the written values held, clean, until the next barrier
     */
    default void writeBack(boolean keepWritten) throws Exception {}

    /**
     * For the current key, after {@link #writeBack}: appends events ahead of the watermark to the
     * keyed state with the user's timer ({@link KeyedUserStore#append}), and to the value held on the
     * heap if there is one, so that it still matches the state.
     */
    void appendWaiting(String user, List<AttentionEvent> events, TimerService timers) throws Exception;
}
