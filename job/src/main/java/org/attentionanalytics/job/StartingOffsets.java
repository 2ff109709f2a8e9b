package org.attentionanalytics.job;

import java.util.Locale;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import picocli.CommandLine;

/**
 * {@code --starting-offsets}: where a Kafka source starts when the job starts without a checkpoint
 * or savepoint (with one, it continues from the offsets stored there). Written in lower case, as
 * the option takes it; {@link KafkaSources} says which source follows it.
 */
public enum StartingOffsets {
    EARLIEST,
    LATEST,
    /** The consumer group's committed offsets; the earliest ones of a partition without. */
    COMMITTED;

    /** The Kafka source's initializer of these offsets. */
    OffsetsInitializer initializer() {
        return switch (this) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /** The option's value: {@code earliest}, {@code latest} or {@code committed}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the option's value in any case ({@code latest}, {@code LATEST}). */
    public static final class Converter implements CommandLine.ITypeConverter<StartingOffsets> {
        @Override
        public StartingOffsets convert(String value) {
            for (StartingOffsets s : values()) {
                if (s.toString().equals(value.toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
            throw new IllegalArgumentException("must be earliest, latest or committed, not " + value);
        }
    }
}
