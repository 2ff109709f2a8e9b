package org.attentionanalytics.session;

import static org.attentionanalytics.session.UserStateDescriptors.encodeTimer;
import static org.attentionanalytics.session.UserStateDescriptors.hasBuffered;
import static org.attentionanalytics.session.UserStateDescriptors.timerOf;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;

/**
 * {@link UserStore} on the three keyed states of {@link UserStateDescriptors}: {@link #load}
 * joins them into one value, {@link #save} splits it again and writes only what changed (the
 * list when it held or holds events, the timer when its value changed). {@link #append} is the
 * hot path of an event ahead of the watermark: an append to the list and a read of the timer, no
 * read of the value.
 */
final class KeyedUserStore implements UserStore {
    /** A value as loaded, with what the keyed state holds, which writing it back needs. */
    static final class Loaded {
        UserState st;
        /** Events in {@value UserStateDescriptors#PENDING_STATE_NAME}. */
        int pendingLoaded;
        /** The raw {@value UserStateDescriptors#TIMER_STATE_NAME}, or Long.MIN_VALUE for none. */
        long timerLoaded = Long.MIN_VALUE;
    }

    private final ValueState<UserState> state;
    private final ListState<AttentionEvent> pendingState;
    private final ValueState<Long> timerState;
    private Loaded current;

    /** @param ttlMs retention of the state ({@link UserStateDescriptors#stateDescriptor(long)}); 0: none */
    KeyedUserStore(RuntimeContext context, long ttlMs) {
        this.state = context.getState(UserStateDescriptors.stateDescriptor(ttlMs));
        this.pendingState = context.getListState(UserStateDescriptors.pendingDescriptor(ttlMs));
        this.timerState = context.getState(UserStateDescriptors.timerDescriptor(ttlMs));
    }

    @Override
    public UserState load(String user) throws Exception {
        current = read(user);
        return current.st;
    }

    @Override
    public void save(UserState st) throws Exception {
        if (st == null) {
            state.clear();
            timerState.clear(); // a registered timer fires on empty state and does nothing
            if (current.pendingLoaded > 0) {
                pendingState.clear();
            }
            return;
        }
        write(st, current.pendingLoaded, current.timerLoaded);
    }

    /**
     * Appends events ahead of the watermark to the current key's list, without reading its value
     * (de-duplication happens when they are applied), and moves the user's one timer to the
     * earliest of them if that is earlier: one write of the list and at most one move of the timer
     * (a barrier writes every user's waiting events: the state accesses per user, not per event, are
     * what the task thread waits for). The events are left as they came.
     */
    @Override
    public void appendWaiting(String user, List<AttentionEvent> events, TimerService timers) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[] topics = new String[n];
        int[] partitions = new int[n];
        long[] offsets = new long[n];
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) { // stored without the fields a restore cannot use (as append)
            AttentionEvent e = events.get(i);
            topics[i] = e.getSourceTopic();
            partitions[i] = e.getSourcePartition();
            offsets[i] = e.getSourceOffset();
            e.setUser("");
            e.setSourceTopic("");
            e.setSourcePartition(-1);
            e.setSourceOffset(-1L);
            earliest = Math.min(earliest, e.getEventTime());
        }
        pendingState.addAll(events); // serialized here
        for (int i = 0; i < n; i++) {
            AttentionEvent e = events.get(i);
            e.setUser(user);
            e.setSourceTopic(topics[i]);
            e.setSourcePartition(partitions[i]);
            e.setSourceOffset(offsets[i]);
        }
        moveTimer(earliest, timers);
    }

    /** Reads the current key's states into one value. */
    Loaded read(String user) throws Exception {
        Loaded loaded = new Loaded();
        UserState st = state.value();
        if (st == null) {
            st = UserState.newBuilder().build();
        }
        loaded.st = st;
        Long raw = timerState.value();
        if (raw != null) {
            loaded.timerLoaded = raw;
            st.setNextTimer(timerOf(raw));
        }
        if (raw != null && hasBuffered(raw)) {
            List<AttentionEvent> pending = st.getPending();
            for (AttentionEvent e : pendingState.get()) {
                loaded.pendingLoaded++;
                e.setUser(user);
                EventOrder.insert(pending, e);
            }
        }
        return loaded;
    }

    /** Clears the current key's three states. */
    void clearAll() {
        state.clear();
        timerState.clear();
        pendingState.clear();
    }

    /**
     * Writes {@code st} split into its three states; {@code st} comes back without its waiting
     * events and timer.
     *
     * @param pendingLoaded events the list holds now: it is rewritten only when there were or are some
     * @param timerLoaded the raw timer value the state holds now: written only when it changes
     */
    void write(UserState st, int pendingLoaded, long timerLoaded) throws Exception {
        List<AttentionEvent> pending = st.getPending();
        if (pendingLoaded > 0 || !pending.isEmpty()) {
            if (pending.isEmpty()) {
                pendingState.clear();
            } else {
                String user = pending.get(0).getUser();
                for (AttentionEvent e : pending) {
                    e.setUser("");
                }
                pendingState.update(pending); // serialized here
                for (AttentionEvent e : pending) {
                    e.setUser(user);
                }
            }
        }
        long raw = st.getNextTimer() == Long.MIN_VALUE
                ? Long.MIN_VALUE
                : encodeTimer(st.getNextTimer(), !pending.isEmpty());
        if (raw != timerLoaded) {
            if (raw == Long.MIN_VALUE) {
                timerState.clear();
            } else {
                timerState.update(raw);
            }
        }
        st.setPending(new ArrayList<>());
        st.setNextTimer(Long.MIN_VALUE);
        state.update(st);
    }

    /** {@link #appendWaiting} of one event (one arriving when the heap holds no more). */
    void append(AttentionEvent e, TimerService timers) throws Exception {
        appendWaiting(e.getUser(), List.of(e), timers);
    }

    /** After events as early as {@code earliest} were appended: the user's one timer at the earliest time, marked buffered. */
    private void moveTimer(long earliest, TimerService timers) throws Exception {
        Long raw = timerState.value();
        if (raw == null || earliest < timerOf(raw)) {
            if (raw != null) {
                timers.deleteEventTimeTimer(timerOf(raw));
            }
            timers.registerEventTimeTimer(earliest);
            timerState.update(encodeTimer(earliest, true));
        } else if (!hasBuffered(raw)) {
            timerState.update(encodeTimer(timerOf(raw), true));
        }
    }
}
