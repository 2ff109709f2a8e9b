package org.attentionanalytics.io;

import java.util.Locale;
import picocli.CommandLine;

/**
 * The encoding of the input topics' values, {@code --input-format} (README, options): Avro
 * single-object encoding, one JSON object with the schema's field names (or the {@code --json.*}
 * mapping), or {@code auto}: per record, Avro when the value starts with the single-object marker
 * {@code C3 01}, else JSON (a topic with producers of both). Written and read in lower case
 * ({@code avro}, {@code json}, {@code auto}, {@code avro-registry}); parsing ignores case. The Snowplow topic is not one
 * of these topics: its door ({@link SnowplowDoor}) reads enriched TSV whatever this says.
 */
public enum InputFormat {
    AVRO,
    JSON,
    /** Per record: Avro single-object encoding where the value starts with {@code C3 01}, else JSON. */
    AUTO,
    /** The Confluent wire format: byte 0, the 4-byte schema id, the Avro binary; the writer schema from the registry. */
    AVRO_REGISTRY;

    /**
     * @param text {@code avro}, {@code json}, {@code auto} or {@code avro-registry}, any case
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    public static InputFormat parse(String text) {
        for (InputFormat f : values()) {
            if (f.toString().equals(text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be avro, json, auto or avro-registry, not " + text);
    }

    /** @return the option value: {@code avro}, {@code json}, {@code auto} or {@code avro-registry} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** picocli converter of {@code --input-format} ({@link #parse}). */
    public static final class Converter implements CommandLine.ITypeConverter<InputFormat> {
        @Override
        public InputFormat convert(String value) {
            return parse(value);
        }
    }
}
