package org.attentionanalytics.testutil;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.attentionanalytics.local.EmbeddedKafka;

/**
 * One embedded broker for every ITCase of a test JVM that only needs <em>a</em> broker: started
 * on first use, stopped (and its data deleted) by {@link EmbeddedKafka}'s own shutdown hook when
 * the JVM exits. Starting a KRaft node costs about 2 s and a thread pool per test class; sharing
 * one saves that and keeps the Kafka tier's run short.
 *
 * <p>Isolation: a test on the shared broker never uses a default topic name, consumer group or
 * transactional id. It takes a {@link #prefix(Class, String)} (unique per class, scenario and
 * call, e.g. {@code attentionjobitcase-events-3-}) for every topic, group and transactional id
 * ({@link TestJobs#boundedOptions(EmbeddedKafka, java.nio.file.Path, String, String)} applies it),
 * so a test reading a topic sees only its own records and no other test's transactions can fence
 * its producers. {@code SharedKafkaITCase} checks that.
 *
 * <p>Tests that stop, restart or break a broker, or need one on a given port, start their own
 * {@link EmbeddedKafka} (never this one), and none may call {@link EmbeddedKafka#close()},
 * {@link EmbeddedKafka#stopBroker()} or {@link EmbeddedKafka#startBroker()} on the shared one.
 */
public final class SharedKafka {
    private SharedKafka() {}

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EmbeddedKafka broker;

    /** @return the JVM's shared broker, started on the first call */
    public static synchronized EmbeddedKafka get() {
        if (broker == null) {
            broker = EmbeddedKafka.start(); // its shutdown hook closes it when the JVM exits
        }
        return broker;
    }

    /**
     * A name prefix no other call in this JVM returns: the test class's simple name, the scenario
     * and a counter, lower case, e.g. {@code poisonpillitcase-avro-7-}. Kafka allows {@code
     * [a-zA-Z0-9._-]} in topic names: anything else in {@code scenario} becomes {@code -}.
     */
    public static String prefix(Class<?> testClass, String scenario) {
        String raw = testClass.getSimpleName() + "-" + scenario;
        return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-") + "-" + PREFIXES.incrementAndGet() + "-";
    }
}
