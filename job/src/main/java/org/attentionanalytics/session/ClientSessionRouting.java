package org.attentionanalytics.session;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.ClientSession;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.common.AvroCoders;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.pipeline.CountedName;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The Flink side of {@code --sessions client} ({@link ClientSessionRules}): keyed by the pseudonym
 * of the tracker's session id, it holds each event until the watermark passes it, then, in {@link
 * EventOrder#EVENT_ORDER}, hands it on with the identity of the session's first event, or sends it
 * to the dead letters ({@code BEYOND_MAX_SESSION}, counted as {@code
 * deadLetters.BEYOND_MAX_SESSION}). A late event (the watermark already passed it) is routed at
 * once; one behind it by more than the allowed lateness passes as it came (the per-user operator
 * refuses it) and changes no session. The second input is the erasure requests, broadcast: an
 * erasure forgets every session whose identity is the erased pseudonym and drops its waiting
 * events ({@link #processBroadcastElement}). A session is forgotten at {@link
 * ClientSessionRules#forgetAt}.
 *
 * <p>State (RocksDB): {@value #SESSION_STATE} (per live session its user's pseudonym and two
 * times, {@link ClientSession}) and {@value #WAITING_STATE} (the events ahead of the watermark, by
 * event time: a timer takes the events of its own time only, so a session with many waiting events
 * costs one state access per timer).
 */
public final class ClientSessionRouting
        extends KeyedBroadcastProcessFunction<String, AttentionEvent, AttentionEvent, AttentionEvent> {
    private static final long serialVersionUID = 1L;

    /** Name of the keyed state of a session's identity and times. */
    public static final String SESSION_STATE = "client-session";
    /** Name of the keyed map state (event time -> events) of the events waiting for the watermark. */
    public static final String WAITING_STATE = "client-session-waiting";

    /**
     * Broadcast state of the erasure input: with erasure in event time (bounded runs), erased
     * pseudonym -> the latest {@code requested_at} (ms); empty otherwise.
     */
    public static final MapStateDescriptor<String, Long> ERASURES =
            new MapStateDescriptor<>("client-session-erasures", Types.STRING, Types.LONG);

    private static final ValueStateDescriptor<ClientSession> SESSION =
            new ValueStateDescriptor<>(SESSION_STATE, new AvroTypeInfo<>(ClientSession.class));
    private static final MapStateDescriptor<Long, List<AttentionEvent>> WAITING = new MapStateDescriptor<>(
            WAITING_STATE, Types.LONG, new ListTypeInfo<>(new AvroTypeInfo<>(AttentionEvent.class)));

    /** @return the descriptor of {@value #SESSION_STATE} (for reading savepoints with the State Processor API) */
    public static ValueStateDescriptor<ClientSession> sessionDescriptor() {
        return SESSION;
    }

    private final ClientSessionRules rules;
    private final boolean erasureInEventTime;
    private final boolean redactDeadLetters;
    private final String keyFile;

    private transient ValueState<ClientSession> session;
    private transient MapState<Long, List<AttentionEvent>> waiting;
    private transient CountedName beyond;
    private transient Pseudonymizer idHasher;

    /**
     * @param erasureInEventTime as the per-user operator's: an erasure forgets the erased user's
     *     sessions for the events at or after its {@code requested_at} (bounded runs), instead of at
     *     its arrival, when it also drops the user's waiting events
     * @param redactDeadLetters {@code --dlq.redact}: dead letters carry the HMAC of the event id
     * @param keyFile the pseudonym key file ({@code --pseudonym-key-file}), for redaction
     */
    public ClientSessionRouting(
            ClientSessionRules rules, boolean erasureInEventTime, boolean redactDeadLetters, String keyFile) {
        this.rules = rules;
        this.erasureInEventTime = erasureInEventTime;
        this.redactDeadLetters = redactDeadLetters;
        this.keyFile = keyFile;
    }

    @Override
    public void open(OpenContext openContext) {
        AvroCoders.useGeneratedCoders();
        session = getRuntimeContext().getState(SESSION);
        waiting = getRuntimeContext().getMapState(WAITING);
        beyond = CountedName.register(
                getRuntimeContext(), PipelineCounters.deadLetters(DeadLetterReason.BEYOND_MAX_SESSION));
        idHasher = redactDeadLetters ? new Pseudonymizer(Pseudonymizer.loadKey(keyFile)) : null;
    }

    @Override
    public void processElement(AttentionEvent e, ReadOnlyContext ctx, Collector<AttentionEvent> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (rules.tooLate(e.getEventTime(), watermark)) {
            out.collect(e); // as it came: the per-user operator refuses it (TOO_LATE); its session is untouched
            return;
        }
        if (e.getEventTime() <= watermark) {
            route(e, ctx, out);
            return;
        }
        List<AttentionEvent> at = waiting.get(e.getEventTime());
        if (at == null) {
            at = new ArrayList<>(1);
        }
        at.add(e);
        waiting.put(e.getEventTime(), at);
        ctx.timerService().registerEventTimeTimer(e.getEventTime());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AttentionEvent> out) throws Exception {
        List<AttentionEvent> due = waiting.get(timestamp); // timers fire in time order: earlier ones went first
        if (due != null) {
            waiting.remove(timestamp);
            due.sort(EventOrder.EVENT_ORDER);
            for (AttentionEvent e : due) {
                route(e, ctx, out);
            }
        }
        ClientSession s = session.value();
        if (s != null && rules.forgetAt(s) <= timestamp) {
            session.clear(); // a waiting event of a later time starts a new session anyway (ClientSessionRules#route)
        }
    }

    private void route(AttentionEvent e, ReadOnlyContext ctx, Collector<AttentionEvent> out) throws Exception {
        ClientSession s = session.value();
        if (s != null && erasureInEventTime) {
            Long erasedAt = ctx.getBroadcastState(ERASURES).get(s.getUser());
            if (erasedAt != null && erasedAt <= e.getEventTime() && s.getStart() < erasedAt) {
                s = null; // its identity was erased before this event: the event starts a session of its own
            }
        }
        if (rules.beyond(s, e.getEventTime())) {
            s.setLast(Math.max(s.getLast(), e.getEventTime()));
            session.update(s);
            beyond.inc();
            ctx.output(
                    SideOutputs.DEAD_LETTERS,
                    DeadLetters.of(
                            e,
                            DeadLetterReason.BEYOND_MAX_SESSION,
                            rules.beyondDetail(s, e),
                            System.currentTimeMillis(),
                            idHasher));
        } else {
            s = rules.route(s, e);
            session.update(s);
            e.setUser(s.getUser());
            out.collect(e);
        }
        ctx.timerService().registerEventTimeTimer(rules.forgetAt(s)); // one per time: re-registering is free
    }

    /**
     * An erasure request (the control door's ERASURE events). At its arrival: forgets the sessions
     * whose identity is its pseudonym and drops the pseudonym's waiting events, as the per-user
     * operator drops its own. In event time: remembered, and applied to each session when its
     * events pass {@code requested_at} ({@link #route}).
     */
    @Override
    public void processBroadcastElement(AttentionEvent e, Context ctx, Collector<AttentionEvent> out) throws Exception {
        if (e.getKind() != EventKind.ERASURE) {
            return;
        }
        String erased = e.getUser();
        if (erasureInEventTime) {
            Long before = ctx.getBroadcastState(ERASURES).get(erased);
            ctx.getBroadcastState(ERASURES)
                    .put(erased, Math.max(before == null ? Long.MIN_VALUE : before, e.getEventTime()));
            return;
        }
        ctx.applyToKeyedState(SESSION, (key, state) -> {
            ClientSession s = state.value();
            if (s != null && erased.equals(s.getUser())) {
                state.clear();
            }
        });
        ctx.applyToKeyedState(WAITING, (key, state) -> {
            java.util.Map<Long, List<AttentionEvent>> changed = new java.util.HashMap<>(); // not while iterating
            for (var entry : state.entries()) {
                List<AttentionEvent> kept = new ArrayList<>(entry.getValue());
                if (kept.removeIf(w -> erased.equals(w.getUser()))) {
                    changed.put(entry.getKey(), kept);
                }
            }
            for (var c : changed.entrySet()) {
                if (c.getValue().isEmpty()) {
                    state.remove(c.getKey());
                } else {
                    state.put(c.getKey(), c.getValue());
                }
            }
        });
    }
}
