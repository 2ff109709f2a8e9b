package org.attentionanalytics.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.attentionanalytics.avro.EventType;
import picocli.CommandLine.ITypeConverter;

/**
 * A {@code --explode COLUMN=SEP:TYPE} value: the list column {@code COLUMN} (a header name, or a
 * 0-based index) holds item ids separated by {@code SEP} (one or more characters; {@code space} and
 * {@code tab} or {@code \t} name those), and each id is a ClickEvent of {@code TYPE} (an EventType
 * such as CLICK) at the row's time. Empty elements are ignored, others are stripped.
 *
 * @param column the header name (lower case) or, when {@code index} is not negative, unused
 * @param index the 0-based column, or -1 when named
 * @param separator the literal separator between elements
 * @param type the type of each element's event
 */
public record ExplodeSpec(String column, int index, String separator, EventType type) {

    /**
     * Parses {@code COLUMN=SEP:TYPE}; the separator is what lies between the first {@code =} and the
     * last {@code :}.
     *
     * @throws IllegalArgumentException for another shape, an empty separator or an unknown type
     */
    public static ExplodeSpec parse(String value) {
        int eq = value.indexOf('=');
        int colon = value.lastIndexOf(':');
        if (eq <= 0 || colon <= eq + 1 || colon == value.length() - 1) {
            throw new IllegalArgumentException(
                    "expected COLUMN=SEP:TYPE (e.g. clicked=' ':CLICK or 4=space:CLICK), got '" + value + "'");
        }
        String column = value.substring(0, eq).strip();
        String separator = switch (value.substring(eq + 1, colon).toLowerCase(Locale.ROOT)) {
            case "space" -> " ";
            case "tab", "\\t" -> "\t";
            default -> value.substring(eq + 1, colon);
        };
        String typeName = value.substring(colon + 1).strip().toUpperCase(Locale.ROOT);
        EventType type;
        try {
            type = EventType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown event type '" + value.substring(colon + 1) + "' in '" + value
                    + "'; known: " + List.of(EventType.values()));
        }
        boolean numeric = !column.isEmpty() && column.chars().allMatch(Character::isDigit);
        return numeric
                ? new ExplodeSpec(column, Integer.parseInt(column), separator, type)
                : new ExplodeSpec(column.toLowerCase(Locale.ROOT), -1, separator, type);
    }

    /** The non-empty elements of a field, stripped, in order; none for null. */
    List<String> elements(String field) {
        List<String> out = new ArrayList<>();
        if (field == null) {
            return out;
        }
        int from = 0;
        while (from <= field.length()) {
            int to = field.indexOf(separator, from);
            String element = (to < 0 ? field.substring(from) : field.substring(from, to)).strip();
            if (!element.isEmpty()) {
                out.add(element);
            }
            if (to < 0) {
                break;
            }
            from = to + separator.length();
        }
        return out;
    }

    @Override
    public String toString() {
        return column + "=" + separator + ":" + type;
    }

    /** picocli converter for {@link #parse(String)}. */
    public static final class Converter implements ITypeConverter<ExplodeSpec> {
        @Override
        public ExplodeSpec convert(String value) {
            return parse(value);
        }
    }
}
