package org.attentionanalytics.session;

import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.pipeline.SideOutputs;
import org.attentionanalytics.testutil.TestRocksDb;

/**
 * {@link ClientSessionRouting} in Flink's operator harness on RocksDB (gap 30 min, lateness 5 min,
 * a cap of the caller's, default 12 h; unbounded: erasure at arrival), with events made from a
 * user, a session id, an event id and a time.
 */
final class ClientSessionRoutingHarness implements AutoCloseable {
    final KeyedBroadcastOperatorTestHarness<String, AttentionEvent, AttentionEvent, AttentionEvent> harness;

    ClientSessionRoutingHarness() throws Exception {
        this(minutes(720));
    }

    ClientSessionRoutingHarness(long cap) throws Exception {
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new ClientSessionRouting(
                                new ClientSessionRules(cap, minutes(30), minutes(5)), false, false, null),
                        List.of(ClientSessionRouting.ERASURES)),
                AttentionEvent::getSessionId,
                Types.STRING,
                1,
                1,
                0);
        harness.setStateBackend(TestRocksDb.harnessBackend());
        harness.open();
    }

    ClientSessionRoutingHarness event(String user, String session, String id, long t) throws Exception {
        return event(AttentionEvent.newBuilder(view(user, "item", t, "news"))
                .setEventId(id)
                .setSessionId(session)
                .build());
    }

    ClientSessionRoutingHarness event(AttentionEvent e) throws Exception {
        harness.processElement(e, e.getEventTime());
        return this;
    }

    ClientSessionRoutingHarness watermark(long t) throws Exception {
        harness.processWatermark(t);
        harness.processBroadcastWatermark(t);
        return this;
    }

    ClientSessionRoutingHarness erase(String user, long requestedAt) throws Exception {
        harness.processBroadcastElement(
                AttentionEvent.newBuilder()
                        .setKind(EventKind.ERASURE)
                        .setEventId("req-" + user)
                        .setUser(user)
                        .setEventTime(requestedAt)
                        .build(),
                requestedAt);
        return this;
    }

    List<String> routed() {
        return harness.extractOutputValues().stream()
                .map(e -> e.getEventId() + ">" + e.getUser())
                .toList();
    }

    List<SourceRecord> deadLetters() {
        var out = harness.getSideOutput(SideOutputs.DEAD_LETTERS);
        return out == null ? List.of() : out.stream().map(r -> r.getValue()).toList();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
