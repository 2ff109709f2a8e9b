package org.attentionanalytics.testutil;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.io.DeadLetters;
import org.attentionanalytics.session.UserActivityFunction;

/** The per-user operator in Flink's operator test harness, on the RocksDB state backend. */
public final class SessionHarness implements AutoCloseable {
  private final KeyedOneInputStreamOperatorTestHarness<String, AttentionEvent, SessionSummary> harness;

  public SessionHarness(long gapMs, long maxSessionMs, long latenessMs, long dedupeMs) throws Exception {
    this(gapMs, maxSessionMs, latenessMs, dedupeMs, Events.minutes(7 * 24 * 60));
  }

  public SessionHarness(long gapMs, long maxSessionMs, long latenessMs, long dedupeMs, long halfLifeMs) throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new UserActivityFunction(gapMs, maxSessionMs, latenessMs, dedupeMs, halfLifeMs)),
        AttentionEvent::getUser, Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.open();
  }

  /** Defaults of DESIGN.md: gap 30 min, cap 12 h, lateness 5 min, dedupe 1 h. */
  public static SessionHarness defaults() throws Exception {
    return new SessionHarness(Events.minutes(30), Events.minutes(12 * 60), Events.minutes(5), Events.minutes(60));
  }

  public SessionHarness send(AttentionEvent... events) throws Exception {
    for (AttentionEvent e : events) {
      harness.processElement(e, e.getEventTime());
    }
    return this;
  }

  public SessionHarness watermark(long wm) throws Exception {
    harness.processWatermark(wm);
    return this;
  }

  /** All session records written so far, in order. */
  public List<SessionSummary> summaries() {
    return harness.extractOutputValues();
  }

  /** Session records of one status, in order. */
  public List<SessionSummary> summaries(SessionStatus status) {
    return summaries().stream().filter(s -> s.getStatus() == status).toList();
  }

  /** Interest vectors written so far, in order. */
  public List<org.attentionanalytics.avro.InterestVector> vectors() {
    List<org.attentionanalytics.avro.InterestVector> out = new ArrayList<>();
    var records = harness.getSideOutput(UserActivityFunction.INTEREST_VECTORS);
    for (StreamRecord<org.attentionanalytics.avro.InterestVector> r : records == null ? List.<StreamRecord<org.attentionanalytics.avro.InterestVector>>of() : records) {
      out.add(r.getValue());
    }
    return out;
  }

  public List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    var records = harness.getSideOutput(DeadLetters.TAG);
    for (StreamRecord<?> r : records == null ? List.<StreamRecord<?>>of() : records) {
      out.add(((org.attentionanalytics.avro.internal.SourceRecord) r.getValue()).getDeadLetter());
    }
    return out;
  }

  /** The user's state in RocksDB, or null. */
  public UserState state(String user) throws Exception {
    harness.getOperator().setCurrentKey(user);
    return harness.getOperator().<String>getKeyedStateBackend()
        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, UserActivityFunction.stateDescriptor())
        .value();
  }

  public int eventTimeTimers() {
    return harness.numEventTimeTimers();
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}
