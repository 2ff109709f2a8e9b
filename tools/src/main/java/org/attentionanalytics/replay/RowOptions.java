package org.attentionanalytics.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Options of {@link ReplayOptions} about reading rows: missing values, quoting and list columns of
 * the {@code csv} kind, and how many skipped rows a replay tolerates (every kind). A picocli mixin
 * inside {@link ReplayOptions}.
 */
public class RowOptions {

    @Option(
            names = "--null-values",
            split = ",",
            paramLabel = "TOKEN",
            description =
                    "csv: field values that mean 'absent', comma separated (e.g. NA,null,-). A row whose user_id is "
                            + "absent is skipped (reason no_user). Default: only an empty field is absent.")
    public List<String> nullValues = new ArrayList<>();

    @Option(
            names = "--quote",
            defaultValue = "\"",
            paramLabel = "CHAR|none",
            converter = QuoteConverter.class,
            description = "csv: quote character, or none: no quoting at all, a field may start with \" (plain TSV). "
                    + "Default: ${DEFAULT-VALUE}")
    public Character quote = '"';

    @Option(
            names = "--explode",
            paramLabel = "COLUMN=SEP:TYPE",
            converter = ExplodeSpec.Converter.class,
            description =
                    "csv, repeatable: the list column COLUMN (header name or 0-based index) holds item ids separated by SEP "
                            + "(a character or text; space, tab); each id gives a ClickEvent of TYPE at the row's time, with event id "
                            + "<base>/<n> (base: the row's event_id, else <file>:<row>; n counts the row's list elements from 0). A row "
                            + "too short for the column (no trailing separators) has an empty list. "
                            + "E.g. --explode clicked=' ':CLICK")
    public List<ExplodeSpec> explode = new ArrayList<>();

    @Option(
            names = "--row-events",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "csv: a row gives its own event(s) besides its --explode events (--no-row-events: only the "
                    + "--explode events; a row with empty lists gives none and is not skipped). Default: true")
    public boolean rowEvents = true;

    @Option(
            names = "--max-skipped",
            defaultValue = "0",
            paramLabel = "N",
            converter = MaxSkippedConverter.class,
            description =
                    "Rows that may be skipped (no user, bad time, bad number, ...) before the replay fails; any more "
                            + "and nothing is published, the error names the file and the first skipped rows. Default: ${DEFAULT-VALUE}")
    public long maxSkipped;

    /** The quote character, or null for none. */
    Character quoteOrNull() {
        return quote == null || quote == QuoteConverter.NONE ? null : quote;
    }

    /** picocli converter for {@code --max-skipped}: a whole number, 0 or more. */
    public static final class MaxSkippedConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n;
            try {
                n = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("must be a whole number, 0 or more, got '" + value + "'");
            }
            if (n < 0) {
                throw new TypeConversionException(
                        "must be 0 or more (the number of rows that may be skipped), got " + n);
            }
            return n;
        }
    }

    /** picocli converter for one quote character; {@code none} for no quoting. */
    public static final class QuoteConverter implements ITypeConverter<Character> {
        /** Stands for {@code none} (a character no text holds). */
        static final char NONE = '\0';

        @Override
        public Character convert(String value) {
            if (value.toLowerCase(Locale.ROOT).equals("none")) {
                return NONE;
            }
            if (value.length() != 1) {
                throw new IllegalArgumentException("quote must be one character or none, got '" + value + "'");
            }
            return value.charAt(0);
        }
    }
}
