package org.attentionanalytics.job;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.pipeline.StepNames;
import org.attentionanalytics.pipeline.Uids;
import org.attentionanalytics.session.ClientSessionRouting;
import org.attentionanalytics.session.ClientSessionRules;
import org.attentionanalytics.session.SessionMode;

/**
 * The step of the graph for {@code --sessions client} (DESIGN.md section 5): the events that carry
 * a tracker session id go through {@link ClientSessionRouting} (keyed by it, uid {@value
 * Uids#CLIENT_SESSIONS}), which gives each the identity of its session's first event; the others
 * pass untouched. With {@code --sessions gap} the events pass as they are and the graph has no such
 * step.
 *
 * @param events the events for the per-user operator
 * @param beyondMaxSession the routing's {@code BEYOND_MAX_SESSION} dead letters, or null without the routing
 */
public record ClientSessions(DataStream<AttentionEvent> events, DataStream<SourceRecord> beyondMaxSession) {

    /**
     * @param events the door's events
     * @param control the control door's records: its erasure requests reach the routing
     */
    public static ClientSessions attach(
            DataStream<AttentionEvent> events, DataStream<AttentionEvent> control, JobOptions options) {
        if (options.sessions != SessionMode.CLIENT) {
            return new ClientSessions(events, null);
        }
        ClientSessionRules rules = new ClientSessionRules(
                options.maxSessionDuration.toMillis(),
                options.inactivityGap.toMillis(),
                options.allowedLateness.toMillis());
        SingleOutputStreamOperator<AttentionEvent> routed = events.filter(e -> e.getSessionId() != null)
                .returns(new AvroTypeInfo<>(AttentionEvent.class))
                .name(StepNames.WITH_SESSION_ID)
                .keyBy(AttentionEvent::getSessionId)
                .connect(control.filter(e -> e.getKind() == EventKind.ERASURE)
                        .returns(new AvroTypeInfo<>(AttentionEvent.class))
                        .name(StepNames.ERASURES_ONLY)
                        .broadcast(ClientSessionRouting.ERASURES))
                .process(
                        new ClientSessionRouting(rules, options.bounded, options.dlqRedact, options.pseudonymKeyFile),
                        new AvroTypeInfo<>(AttentionEvent.class))
                .uid(Uids.CLIENT_SESSIONS)
                .name(StepNames.CLIENT_SESSIONS);
        DataStream<AttentionEvent> without = events.filter(e -> e.getSessionId() == null)
                .returns(new AvroTypeInfo<>(AttentionEvent.class))
                .name(StepNames.WITHOUT_SESSION_ID);
        return new ClientSessions(routed.union(without), routed.getSideOutput(SideOutputs.DEAD_LETTERS));
    }

    /** @return {@code deadLetters} with the routing's dead letters, when the routing runs */
    public DataStream<SourceRecord> withDeadLetters(DataStream<SourceRecord> deadLetters) {
        return beyondMaxSession == null ? deadLetters : deadLetters.union(beyondMaxSession);
    }
}
