package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Records ahead of the watermark held on a subtask's heap, per key and event time, until the
 * watermark passes them ({@link EventTimeOrderedOperator}): the heap side of {@link TimeBuffer},
 * with a queue of (time, key) so that a watermark finds what it makes due, earliest first, without
 * scanning the other keys. Not state: the operator writes what is still here to the keyed {@link
 * TimeBuffer} before every checkpoint barrier. Used by the task thread only.
 *
 * @param <K> the key
 * @param <T> the record type
 */
final class HeapTimeBuffer<K, T> {
    /** A key's records of one event time, ms. */
    record Due<K>(long time, K key) {}

    private final Map<K, TreeMap<Long, List<T>>> byKey = new HashMap<>();
    /** One entry per (key, time) held; entries taken or dropped since are skipped. */
    private final PriorityQueue<Due<K>> queue = new PriorityQueue<>((a, b) -> Long.compare(a.time(), b.time()));

    private int size;

    /** @return the number of records held, all keys */
    int size() {
        return size;
    }

    /** Holds {@code record} of {@code key} at event time {@code time} (ms). */
    void add(K key, long time, T record) {
        List<T> records = byKey.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(time, t -> {
            queue.add(new Due<>(t, key));
            return new ArrayList<>();
        });
        records.add(record);
        size++;
    }

    /** @return whether records of {@code key} at {@code time} are held */
    boolean holds(K key, long time) {
        TreeMap<Long, List<T>> times = byKey.get(key);
        return times != null && times.containsKey(time);
    }

    /** @return the earliest (key, time) held at or before {@code watermark}, or null; take it with {@link #take} */
    Due<K> nextDue(long watermark) {
        while (!queue.isEmpty() && queue.peek().time() <= watermark) {
            Due<K> d = queue.poll();
            TreeMap<Long, List<T>> times = byKey.get(d.key());
            if (times != null && times.containsKey(d.time())) {
                return d;
            }
        }
        return null;
    }

    /** @return the records of {@code key} at {@code time}, in arrival order, no longer held (empty if none) */
    List<T> take(K key, long time) {
        TreeMap<Long, List<T>> times = byKey.get(key);
        List<T> records = times == null ? null : times.remove(time);
        if (records == null) {
            return new ArrayList<>();
        }
        if (times.isEmpty()) {
            byKey.remove(key);
        }
        size -= records.size();
        return records;
    }

    /** @return every record of {@code key} held, by time (a copy) */
    List<T> peek(K key) {
        List<T> all = new ArrayList<>();
        TreeMap<Long, List<T>> times = byKey.get(key);
        if (times != null) {
            times.values().forEach(all::addAll);
        }
        return all;
    }

    /** Drops the records of {@code key} at times up to {@code time} (an erasure). */
    void dropUpTo(K key, long time) {
        TreeMap<Long, List<T>> times = byKey.get(key);
        if (times == null) {
            return;
        }
        Map<Long, List<T>> dropped = times.headMap(time, true);
        for (List<T> records : dropped.values()) {
            size -= records.size();
        }
        dropped.clear();
        if (times.isEmpty()) {
            byKey.remove(key);
        }
    }

    /** @return the keys holding records (a copy: take their records while iterating it) */
    List<K> keys() {
        return new ArrayList<>(byKey.keySet());
    }

    /** @return the times {@code key} holds records at, ascending (a copy) */
    List<Long> times(K key) {
        TreeMap<Long, List<T>> times = byKey.get(key);
        return times == null ? List.of() : new ArrayList<>(times.keySet());
    }

    /** Forgets everything (the operator wrote it to state). */
    void clear() {
        byKey.clear();
        queue.clear();
        size = 0;
    }
}
