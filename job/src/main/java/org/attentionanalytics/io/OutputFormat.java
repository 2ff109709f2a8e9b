package org.attentionanalytics.io;

import java.util.Locale;
import picocli.CommandLine;

/**
 * The encoding of every output topic's values, {@code --output-format} (README, "Reading the
 * outputs"; DESIGN.md section 2). Keys are the pseudonym as UTF-8 text in every format and a
 * tombstone is a null value in every format.
 */
public enum OutputFormat {
    /** Avro single-object encoding ({@code C3 01}, the schema fingerprint, the binary body). */
    AVRO,
    /** One JSON object per record, as the bounded run's output files without {@code _key} ({@link AvroJson}). */
    JSON,
    /**
     * The Confluent wire format (byte 0, the 4-byte schema id, the binary body), the schema
     * registered under {@code <topic>-value} in a schema registry ({@code --schema-registry-url}).
     */
    AVRO_REGISTRY;

    /**
     * @param text {@code avro}, {@code json} or {@code avro-registry}, any case
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    public static OutputFormat parse(String text) {
        for (OutputFormat f : values()) {
            if (f.toString().equals(text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be avro, json or avro-registry, not " + text);
    }

    /** @return the option value: {@code avro}, {@code json} or {@code avro-registry} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** picocli converter of {@code --output-format} ({@link #parse}). */
    public static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return parse(value);
        }
    }
}
