package org.attentionanalytics.io;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The encoding of the input topics' values, {@code --input-format} (README, options): Avro
 * single-object encoding, one JSON object with the schema's field names (or the {@code --json.*}
 * mapping), or {@code auto}: per record, Avro when the value starts with the single-object marker
 * {@code C3 01}, else JSON (a topic with producers of both). Written and read in lower case
 * ({@code avro}, {@code json}, {@code auto}); parsing ignores case. {@link #SNOWPLOW} is the format of
 * the Snowplow door alone ({@code --snowplow}, {@link SnowplowDoor}): Snowplow's enriched TSV, one
 * event a line; it is no value of {@code --input-format}, which the other topics share.
 */
public enum InputFormat {
    AVRO,
    JSON,
    /** Per record: Avro single-object encoding where the value starts with {@code C3 01}, else JSON. */
    AUTO,
    /** Snowplow enriched events (TSV), the format of {@code --topic.snowplow} only. */
    SNOWPLOW;

    /**
     * @param text {@code avro}, {@code json} or {@code auto}, any case
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    public static InputFormat parse(String text) {
        for (InputFormat f : List.of(AVRO, JSON, AUTO)) {
            if (f.toString().equals(text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be avro, json or auto, not " + text);
    }

    /** @return the option value: {@code avro}, {@code json}, {@code auto} (or {@code snowplow}) */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** picocli converter of {@code --input-format} ({@link #parse}). */
    public static final class Converter implements CommandLine.ITypeConverter<InputFormat> {
        @Override
        public InputFormat convert(String value) {
            return parse(value);
        }
    }
}
