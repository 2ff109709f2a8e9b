package org.attentionanalytics.session;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;

/**
 * The state layout of the per-user operator (uid {@code user-activity}): state names, types, the
 * encoding of the timer state, and retention (DESIGN.md section 9). Savepoints refer to these
 * names: a change here is a layout change, restored by {@code UpgradeITCase} from the committed
 * savepoint of every earlier layout.
 *
 * <p>A user's state is three keyed states, joined into one {@link UserState} by {@link
 * KeyedUserStore}: {@value #STATE_NAME} (everything but what waits for the watermark), {@value
 * #PENDING_STATE_NAME} (events ahead of the watermark, so that buffering one is an append, not a
 * read-modify-write of the whole value) and {@value #TIMER_STATE_NAME} (the user's one event-time
 * timer). Values are Avro-serialized, no Kryo.
 */
public final class UserStateDescriptors {
    /** Everything the operator keeps per user except waiting events and the timer. */
    public static final String STATE_NAME = "user-state";

    /**
     * Events ahead of the watermark, in arrival order, with {@code user} and {@code source_*}
     * blanked (the key is the user; dead letters are decided before).
     */
    public static final String PENDING_STATE_NAME = "pending-events";

    /** The user's one registered event-time timer, encoded by {@link #encodeTimer}. */
    public static final String TIMER_STATE_NAME = "next-timer";

    /** Operator (non-keyed) state: the subtask's count of open sessions, for the gauge. */
    public static final String OPEN_SESSIONS_STATE_NAME = "open-sessions";

    /** The name of the timer service (Flink's keyed process operator registers it under this name). */
    public static final String TIMER_SERVICE_NAME = "user-timers";

    /** All the per-user keyed state: an erasure leaves no entry in any of them. */
    public static final List<String> KEYED_STATE_NAMES = List.of(STATE_NAME, PENDING_STATE_NAME, TIMER_STATE_NAME);

    /**
     * Entries a RocksDB compaction filter processes between two reads of the clock (Flink's
     * default); a value state has one entry per user.
     */
    public static final long TTL_COMPACTION_QUERY_TIME_AFTER_ENTRIES = 1000;

    /**
     * RocksDB files older than this are compacted even if nothing else would compact them, so that
     * expired state leaves the disk at most this long after its TTL.
     */
    public static final Duration TTL_PERIODIC_COMPACTION = Duration.ofDays(1);

    private UserStateDescriptors() {}

    /** @return the descriptor of {@value #STATE_NAME} without TTL */
    public static ValueStateDescriptor<UserState> stateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserState.class));
    }

    /**
     * The descriptor of {@value #STATE_NAME} with retention.
     *
     * @param ttlMs time to live in processing time, ms, from the last write of the user's state
     *     ({@code OnCreateAndWrite}); expired state is never returned and is removed by RocksDB
     *     compactions. {@code <= 0}: no TTL. Flink restores state written without TTL into a
     *     descriptor with TTL (stamped with the restore time) and the other way round.
     */
    public static ValueStateDescriptor<UserState> stateDescriptor(long ttlMs) {
        return withTtl(stateDescriptor(), ttlMs);
    }

    /** @return the descriptor of {@value #PENDING_STATE_NAME}, with the retention of {@link #stateDescriptor(long)} */
    public static ListStateDescriptor<AttentionEvent> pendingDescriptor(long ttlMs) {
        return withTtl(new ListStateDescriptor<>(PENDING_STATE_NAME, new AvroTypeInfo<>(AttentionEvent.class)), ttlMs);
    }

    /** @return the descriptor of {@value #TIMER_STATE_NAME}, with the retention of {@link #stateDescriptor(long)} */
    public static ValueStateDescriptor<Long> timerDescriptor(long ttlMs) {
        return withTtl(new ValueStateDescriptor<>(TIMER_STATE_NAME, Types.LONG), ttlMs);
    }

    /** @return the descriptor of {@value #OPEN_SESSIONS_STATE_NAME} */
    public static ListStateDescriptor<Long> openSessionsDescriptor() {
        return new ListStateDescriptor<>(OPEN_SESSIONS_STATE_NAME, Types.LONG);
    }

    /**
     * The value of {@value #TIMER_STATE_NAME}: the timer (ms) shifted left by one, the low bit set
     * when {@value #PENDING_STATE_NAME} holds events, so that a timer that only closes sessions or
     * releases reports skips reading the list.
     */
    public static long encodeTimer(long timer, boolean buffered) {
        return (timer << 1) | (buffered ? 1 : 0);
    }

    /** @return the timer (ms) of a {@value #TIMER_STATE_NAME} value */
    public static long timerOf(long raw) {
        return raw >> 1;
    }

    /** @return whether a {@value #TIMER_STATE_NAME} value says events are buffered */
    public static boolean hasBuffered(long raw) {
        return (raw & 1) == 1;
    }

    /**
     * @return {@code d} expiring {@code ttlMs} of processing time after its last write (0: never),
     *     cleaned up by RocksDB compaction: the retention of DESIGN.md section 9
     */
    public static <D extends StateDescriptor<?, ?>> D withTtl(D d, long ttlMs) {
        if (ttlMs > 0) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .setTtlTimeCharacteristic(StateTtlConfig.TtlTimeCharacteristic.ProcessingTime)
                    .cleanupInRocksdbCompactFilter(TTL_COMPACTION_QUERY_TIME_AFTER_ENTRIES, TTL_PERIODIC_COMPACTION)
                    .build());
        }
        return d;
    }
}
