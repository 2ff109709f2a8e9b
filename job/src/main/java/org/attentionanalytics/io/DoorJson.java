package org.attentionanalytics.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Reading JSON input records at the doors ({@code --input-format json}, the catalog): a parser
 * bounded against hostile input, and the field accessors both doors share. Field access never
 * throws for a missing or null field; a value of the wrong shape throws {@link BadShapeException},
 * whose message names the field and never quotes the value.
 */
public final class DoorJson {
    /** Deepest nesting of arrays and objects a record may have (Jackson's default is 1,000). */
    public static final int MAX_NESTING = 32;

    private DoorJson() {}

    /** A JSON value of the wrong shape; the message names fields, never quotes values. */
    public static final class BadShapeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public BadShapeException(String message) {
            super(message);
        }
    }

    /** A required field is absent from a JSON record (a {@code MISSING_FIELD} dead letter). */
    public static final class MissingFieldException extends Exception {
        private static final long serialVersionUID = 1L;

        public MissingFieldException(String message) {
            super(message, null, false, false);
        }
    }

    /** @throws BadShapeException when {@code n} is not a JSON object */
    public static void requireObject(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new BadShapeException("not a JSON object");
        }
    }

    /**
     * @return a mapper that refuses nesting deeper than {@link #MAX_NESTING} and strings or numbers
     *     longer than {@code maxRecordBytes} (the record limit is checked before parsing anyway)
     */
    public static ObjectMapper mapper(int maxRecordBytes) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxStringLength(Math.max(1, maxRecordBytes))
                .maxNumberLength(64)
                .build();
        return new ObjectMapper(
                        JsonFactory.builder().streamReadConstraints(limits).build())
                .enable(
                        com.fasterxml.jackson.databind.DeserializationFeature
                                .FAIL_ON_TRAILING_TOKENS); // one value per record
    }

    /**
     * @return the field as text (a string, or a number as producers often send ids), or null when
     *     absent or null
     * @throws BadShapeException for an object, array or boolean
     */
    public static String text(JsonNode n, String field) {
        return textOf(n.get(field), field);
    }

    /**
     * @param v a value (a field's, or what a {@link JsonMapping} path gave), or null
     * @param field how a message names it
     * @return the value as text, as {@link #text(JsonNode, String)}
     */
    public static String textOf(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new BadShapeException(field + " is not a string");
        }
        return v.asText();
    }

    /**
     * @return the array of strings (numbers taken as text), empty when absent or null
     * @throws BadShapeException when it is not an array, or an element is not a string or number
     */
    public static java.util.List<String> textList(JsonNode n, String field) {
        return textListOf(n.get(field), field);
    }

    /** @return the value as {@link #textList(JsonNode, String)} does, {@code field} naming it in messages */
    public static java.util.List<String> textListOf(JsonNode v, String field) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new BadShapeException(field + " is not an array of strings");
        }
        for (JsonNode e : v) {
            if (!e.isTextual() && !e.isNumber()) {
                throw new BadShapeException(field + " is not an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** @return the whole number, or null when absent or null; @throws BadShapeException for anything else */
    public static Long wholeNumber(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadShapeException(field + " is not a whole number");
        }
        return v.asLong();
    }

    /** @return the boolean, or null when absent or null; @throws BadShapeException for anything else */
    public static Boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new BadShapeException(field + " is not a boolean");
        }
        return v.asBoolean();
    }

    /**
     * A timestamp as whole epoch milliseconds or ISO-8601 text.
     *
     * @return null when absent or null
     * @throws BadShapeException when it is neither, or lies outside what timestamp-millis (a signed
     *     64-bit count of milliseconds, about 292 million years either side of 1970) can hold
     */
    public static Instant instant(JsonNode n, String field) {
        return instantOf(n.get(field), field);
    }

    /** @return the value as {@link #instant(JsonNode, String)} does, {@code field} naming it in messages */
    public static Instant instantOf(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new BadShapeException(field + " is not whole epoch milliseconds");
            }
            return Instant.ofEpochMilli(v.asLong());
        }
        Instant t;
        try {
            t = Instant.parse(v.asText());
        } catch (DateTimeException e) {
            throw new BadShapeException(field + " is neither epoch milliseconds nor an ISO-8601 instant");
        }
        try {
            t.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new BadShapeException(
                    field + " lies outside the range of timestamp-millis (years -292,275,055 to 292,278,994)");
        }
        return t;
    }
}
