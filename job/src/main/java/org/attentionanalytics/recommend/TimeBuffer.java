package org.attentionanalytics.recommend;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * Records of one key waiting for the watermark (keyed map state: event time to records, and an
 * event-time timer per time), so that an operator applies them in event-time order, one event time
 * at a time, whatever order they arrived in (DESIGN.md section 4).
 *
 * @param <T> an Avro record type
 */
final class TimeBuffer<T extends SpecificRecordBase> {
    private final MapState<Long, List<T>> state;

    TimeBuffer(MapState<Long, List<T>> state) {
        this.state = state;
    }

    /** @return the descriptor of a buffer named {@code name} holding {@code type} records */
    static <T extends SpecificRecordBase> MapStateDescriptor<Long, List<T>> descriptor(String name, Class<T> type) {
        return new MapStateDescriptor<>(name, Types.LONG, new ListTypeInfo<>(new AvroTypeInfo<>(type)));
    }

    /**
     * Keeps {@code record} until the watermark passes {@code time}.
     *
     * @return false when the watermark has already passed it: the caller applies it at once (a late record)
     */
    boolean offer(T record, long time, TimerService timers) throws Exception {
        if (time <= timers.currentWatermark()) {
            return false;
        }
        hold(record, time, timers);
        return true;
    }

    /** Keeps {@code record} until the next timer at or after {@code time} (at once with the next watermark when it has passed). */
    void hold(T record, long time, TimerService timers) throws Exception {
        List<T> waiting = state.get(time);
        if (waiting == null) {
            waiting = new ArrayList<>();
        }
        waiting.add(record);
        state.put(time, waiting);
        timers.registerEventTimeTimer(time);
    }

    /** Drops the records waiting for times up to {@code time} and deletes their timers (an erasure). */
    void dropUpTo(long time, TimerService timers) throws Exception {
        List<Long> times = new ArrayList<>();
        for (long t : state.keys()) {
            if (t <= time) {
                times.add(t);
            }
        }
        for (long t : times) {
            state.remove(t);
            timers.deleteEventTimeTimer(t);
        }
    }

    /** @return every record waiting, in no particular order, still kept */
    List<T> peekAll() throws Exception {
        List<T> all = new ArrayList<>();
        for (List<T> records : state.values()) {
            all.addAll(records);
        }
        return all;
    }

    /** @return the records waiting for {@code time} (possibly none), no longer kept */
    List<T> take(long time) throws Exception {
        List<T> waiting = state.get(time);
        if (waiting == null) {
            return new ArrayList<>();
        }
        state.remove(time);
        return waiting;
    }
}
