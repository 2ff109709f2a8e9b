package org.attentionanalytics.session;

import static org.attentionanalytics.session.UserStateDescriptors.encodeTimer;
import static org.attentionanalytics.session.UserStateDescriptors.hasBuffered;
import static org.attentionanalytics.session.UserStateDescriptors.timerOf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.flink.streaming.api.TimerService;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;

/**
 * A write-behind cache of users' values in front of a {@link KeyedUserStore}, in access order:
 * {@link #load} reads the keyed state only on a miss, {@link #save} only marks the value dirty,
 * and {@link #writeBack} writes the dirty ones back before every checkpoint barrier, so a user's
 * events and timers between two checkpoints cost one read and one write of the state in all
 * (BENCHMARKS.md). Beyond {@code maxUsers} the least recently used user is written back and dropped.
 *
 * <p>A value this cache wrote back stays held, clean, until it is evicted or its state time to live
 * has passed since that write (then the keyed state may have expired it, and the next load reads
 * the keyed state again, which says so); a value only read stays held to the next barrier but one.
 * So timers and events after a barrier read no state while the users fit in the cache.
 */
final class CachedUserStore implements UserStore {
    /** A held value; {@code loaded.st} null: the user's state is to be cleared. */
    private static final class Entry {
        final KeyedUserStore.Loaded loaded;
        boolean dirty;
        /** The keyed state holds entries that writing back must clear first (an erasure, or all expired). */
        boolean clear;
        /** Written back at the last barrier: stays held, clean, until the next one. */
        boolean written;
        /** Processing time of this cache's last write of the value, ms; Long.MIN_VALUE: never written here. */
        long writtenAtMs = Long.MIN_VALUE;

        Entry(KeyedUserStore.Loaded loaded) {
            this.loaded = loaded;
        }
    }

    private final KeyedUserStore keyed;
    private final int maxUsers;
    private final Consumer<Object> setCurrentKey;
    /** The state's time to live, ms, from its last write (processing time); 0: none. */
    private final long ttlMs;

    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true);
    private Entry current;

    /**
     * @param maxUsers most users held per subtask
     * @param setCurrentKey sets the operator's current key, to write back a user other than the one processed
     * @param ttlMs the keyed state's time to live from its last write, ms (0: none)
     * @param clock processing time, ms: the clock of the state's time to live
     */
    CachedUserStore(
            KeyedUserStore keyed, int maxUsers, Consumer<Object> setCurrentKey, long ttlMs, LongSupplier clock) {
        this.keyed = keyed;
        this.maxUsers = maxUsers;
        this.setCurrentKey = setCurrentKey;
        this.ttlMs = ttlMs;
        this.clock = clock;
    }

    @Override
    public UserState load(String user) throws Exception {
        Entry cached = cache.get(user);
        if (cached != null && expired(cached)) {
            cache.remove(user); // the keyed state may have expired it: read it again
            cached = null;
        }
        if (cached != null) {
            current = cached;
            if (cached.loaded.st == null) {
                // cleared (an erasure): a new value, held only once saved, so that a read alone (the
                // live vector) does not write an empty value back under the erased key
                return UserState.newBuilder().build();
            }
            return cached.loaded.st;
        }
        current = new Entry(keyed.read(user));
        cache.put(user, current);
        if (cache.size() > maxUsers) {
            evictEldest(user);
        }
        return current.loaded.st;
    }

    @Override
    public void save(UserState st) {
        current.loaded.st = st;
        current.clear |= st == null;
        current.dirty = true;
    }

    /** @return whether a clean value was written so long ago that the keyed state may have expired it */
    private boolean expired(Entry c) {
        return ttlMs > 0 && !c.dirty && c.writtenAtMs != Long.MIN_VALUE && clock.getAsLong() - c.writtenAtMs >= ttlMs;
    }

    /**
     * With {@code keepWritten} the values this cache has written stay held, clean (see the class
     * comment), and a value only read stays held for one more checkpoint interval, so state TTL,
     * which counts from the last write, is never bypassed by more than that; without it the cache is
     * emptied: the heap state backend shares the objects it holds with its snapshots, which must not
     * change after a snapshot has begun.
     */
    @Override
    public void writeBack(boolean keepWritten) throws Exception {
        long now = clock.getAsLong();
        var it = cache.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> entry = it.next();
            Entry c = entry.getValue();
            if (c.dirty) {
                setCurrentKey.accept(entry.getKey());
                writeBack(c);
                c.writtenAtMs = c.loaded.st == null ? Long.MIN_VALUE : now;
            }
            if (!keepWritten || (!c.written && (c.writtenAtMs == Long.MIN_VALUE || expired(c)))) {
                it.remove();
            } else {
                c.written = false; // a value only read is dropped at the next barrier unless saved again
            }
        }
        current = null;
    }

    /**
     * Appends to the keyed state and, when the user is held (clean, just written back), to the held
     * value with the timer the keyed state now has, and keeps it held to the next barrier: the user's
     * next load, for the live vector or when the watermark applies these events, reads no state.
     */
    @Override
    public void appendWaiting(String user, List<AttentionEvent> events, TimerService timers) throws Exception {
        keyed.appendWaiting(user, events, timers);
        Entry c = cache.get(user);
        if (c == null) {
            return;
        }
        KeyedUserStore.Loaded l = c.loaded;
        if (c.dirty || l.st == null) {
            cache.remove(user); // not written back: the next load reads the keyed state
            return;
        }
        long raw = l.timerLoaded; // as KeyedUserStore.append moves it
        for (AttentionEvent e : events) {
            EventOrder.insert(l.st.getPending(), e);
            l.pendingLoaded++;
            if (raw == Long.MIN_VALUE || e.getEventTime() < timerOf(raw)) {
                raw = encodeTimer(e.getEventTime(), true);
            } else if (!hasBuffered(raw)) {
                raw = encodeTimer(timerOf(raw), true);
            }
        }
        l.timerLoaded = raw;
        l.st.setNextTimer(raw == Long.MIN_VALUE ? Long.MIN_VALUE : timerOf(raw));
        c.written = true;
    }

    private void evictEldest(String processing) throws Exception {
        var it = cache.entrySet().iterator();
        var eldest = it.next();
        it.remove();
        if (eldest.getValue().dirty) {
            setCurrentKey.accept(eldest.getKey());
            writeBack(eldest.getValue());
            setCurrentKey.accept(processing);
        }
    }

    /**
     * Writes one held user to the keyed state of the current key, which must be that user; the
     * entry is then clean and matches the state (its value keeps its waiting events and timer).
     */
    private void writeBack(Entry c) throws Exception {
        KeyedUserStore.Loaded l = c.loaded;
        if (c.clear) {
            keyed.clearAll();
        }
        if (l.st == null) {
            l.pendingLoaded = 0;
            l.timerLoaded = Long.MIN_VALUE;
        } else {
            List<AttentionEvent> pending = l.st.getPending();
            long timer = l.st.getNextTimer();
            keyed.write(l.st, c.clear ? 0 : l.pendingLoaded, c.clear ? Long.MIN_VALUE : l.timerLoaded);
            l.st.setPending(pending);
            l.st.setNextTimer(timer);
            l.pendingLoaded = pending.size();
            l.timerLoaded = timer == Long.MIN_VALUE ? Long.MIN_VALUE : encodeTimer(timer, !pending.isEmpty());
        }
        c.clear = false;
        c.dirty = false;
        c.written = true;
    }
}
