package org.attentionanalytics.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.TopicDrain;

/** What a job committed to a topic, read back as tests compare it; and waiting for a condition. */
public final class Committed {
    private Committed() {}

    /** A committed record: its key (UTF-8, may be null) and decoded value (null for a tombstone). */
    public record Keyed<V>(String key, V value) {}

    /** An Avro decode call, which declares {@link IOException}. */
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    /**
     * Reads every partition of {@code topic} from the beginning to its end ({@link TopicDrain},
     * {@code read_committed} unless {@code props} say otherwise), in partition then offset order.
     */
    public static <V> List<Keyed<V>> drain(
            EmbeddedKafka kafka, String topic, Map<String, String> props, Function<byte[], V> decode) {
        List<Keyed<V>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = TopicDrain.newConsumer(kafka.bootstrapServers(), props)) {
            TopicDrain.drain(
                    consumer,
                    topic,
                    -1,
                    TopicDrain.DEFAULT_STALL_TIMEOUT,
                    r -> out.add(new Keyed<>(
                            r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                            r.value() == null ? null : decode.apply(r.value()))));
        }
        return out;
    }

    /** @return the decoded value; an {@link IOException} becomes an {@link UncheckedIOException} */
    public static <T> T decode(IoSupplier<T> decoder) {
        try {
            return decoder.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code condition} every 250 ms until it holds.
     *
     * @throws AssertionError after {@code timeout}, naming {@code what} was awaited
     */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(250);
        }
    }
}
