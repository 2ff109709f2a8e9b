package org.attentionanalytics.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.interest.InterestVectors;
import org.attentionanalytics.session.SessionListener;
import org.attentionanalytics.session.SessionTracker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH micro-benchmarks of the per-event update of the per-user state, as the per-user operator
 * does it on RocksDB: read (Avro-deserialize {@link UserState} with Flink's {@link AvroSerializer},
 * the state's serializer), apply one event ({@link SessionTracker#apply} and {@link
 * InterestVectors#onEvent}, signals fed to {@link InterestVectors#addSignal}), write (serialize).
 * The user: {@code views} earlier views in an open session over 12 topics (3 per item), with an
 * interest vector; the event is one more VIEW with 3 inline topics. Not the dedupe memory or the
 * pending buffer (package-private in {@code session}).
 *
 * <p>Run: {@code mvn -o -Pjmh -pl bench -am test -DskipTests} (BENCHMARKS.md); {@code -Djmh.args="..."} passes
 * JMH options (default: this class, 1 fork, short iterations).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UserStateBenchmark {
    private static final String USER = "0123456789abcdef0123456789abcdef";
    private static final long T0 = 1_700_000_000_000L;

    /** Views already in the user's open session. */
    @Param({"4", "40"})
    public int views;

    private final SessionTracker tracker = new SessionTracker(30 * 60_000L, 12 * 3_600_000L, 5 * 60_000L);
    private final InterestVectors interest = new InterestVectors(7 * 24 * 3_600_000L);
    private final AvroSerializer<UserState> serializer = new AvroSerializer<>(UserState.class);
    private final DataOutputSerializer out = new DataOutputSerializer(4096);
    private byte[] stateBytes;
    private UserState decoded;
    private AttentionEvent next;

    private static AttentionEvent view(int i) {
        List<String> topics = List.of("news.sub" + (i % 4), "sport.sub" + (i % 4), "tech.sub" + (i % 4));
        return AttentionEvent.newBuilder()
                .setKind(EventKind.CLICK)
                .setEventId("ev-" + i)
                .setUser(USER)
                .setEventTime(T0 + i * 30_000L)
                .setEventType(EventType.VIEW)
                .setItemId("item-" + i)
                .setTopics(topics)
                .build();
    }

    private final class Signals implements SessionListener {
        private final UserState st;

        Signals(UserState st) {
            this.st = st;
        }

        @Override
        public void summary(SessionSummary summary) {}

        @Override
        public void signal(List<Integer> topics, List<Double> shares, double amount, long t) {
            interest.addSignal(st, topics, shares, amount, t);
        }
    }

    private void apply(UserState st, AttentionEvent e) {
        tracker.apply(st, USER, e, e.getEventTime(), new Signals(st));
        interest.onEvent(st, USER, e.getEventTime());
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        org.attentionanalytics.common.AvroCoders.useGeneratedCoders(); // as the per-user operator does in open()
        UserState st = UserState.newBuilder().build();
        for (int i = 0; i < views; i++) {
            apply(st, view(i));
        }
        out.clear();
        serializer.serialize(st, out);
        stateBytes = out.getCopyOfBuffer();
        next = view(views);
        decoded = read();
        System.out.println("UserState bytes with " + views + " views: " + stateBytes.length);
    }

    private UserState read() throws Exception {
        return serializer.deserialize(new DataInputDeserializer(stateBytes));
    }

    /** Read, apply one VIEW, write: the per-event cost of the per-user state on RocksDB (without RocksDB). */
    @Benchmark
    public void readApplyWrite(Blackhole bh) throws Exception {
        UserState st = read();
        apply(st, next);
        out.clear();
        serializer.serialize(st, out);
        bh.consume(out.length());
    }

    /** Read and write only (no apply): the serialization part of {@link #readApplyWrite}. */
    @Benchmark
    public void readWrite(Blackhole bh) throws Exception {
        UserState st = read();
        out.clear();
        serializer.serialize(st, out);
        bh.consume(out.length());
    }

    /** Apply only, on a fresh copy of the decoded state (the copy is part of the cost: compare with copyOnly). */
    @Benchmark
    public void applyOnCopy(Blackhole bh) {
        UserState st = UserState.newBuilder(decoded).build();
        apply(st, next);
        bh.consume(st);
    }

    /** The deep copy that {@link #applyOnCopy} makes. */
    @Benchmark
    public void copyOnly(Blackhole bh) {
        bh.consume(UserState.newBuilder(decoded).build());
    }
}
