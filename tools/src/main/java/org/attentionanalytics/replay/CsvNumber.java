package org.attentionanalytics.replay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Strict parsing of the numeric fields of dataset rows ({@code dwell_ms}, EB-NeRD's {@code
 * read_time_s} and {@code scroll_percentage}): plain decimal digits with an optional sign and, where
 * a fraction makes sense, an optional fraction ({@code 13}, {@code -2}, {@code 1.5}, {@code .5}),
 * surrounding blanks ignored. Nothing else is a number: not {@code NaN}, {@code Infinity}, an
 * exponent ({@code 1e3}), hex ({@code 0x1p12}), a type suffix ({@code 100f}) or grouping ({@code
 * 1,000}). A value that does not fit a long (after scaling) is out of range. Either is a {@link
 * RowSkipped} of reason {@link SkipReason#BAD_NUMBER} that names the field and quotes the value.
 */
final class CsvNumber {
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private CsvNumber() {}

    /**
     * {@code text} times {@code scale}, rounded to a whole number as {@link Math#round(double)} does
     * (halves up), e.g. seconds {@code 1.5} at scale 1000 is 1500 ms.
     *
     * @param field the field's name, for the message
     * @param fraction whether a fraction is allowed
     * @throws RowSkipped ({@link SkipReason#BAD_NUMBER}) for text that is not such a number, or a
     *     value outside the long range
     */
    static long parse(String field, String text, long scale, boolean fraction) {
        String t = text == null ? "" : text.strip();
        if (!(fraction ? DECIMAL : WHOLE).matcher(t).matches()) {
            throw new RowSkipped(SkipReason.BAD_NUMBER, field + " '" + text + "' is not a number");
        }
        BigDecimal value = new BigDecimal(t.endsWith(".") ? t.substring(0, t.length() - 1) : t)
                .multiply(BigDecimal.valueOf(scale))
                .add(HALF)
                .setScale(0, RoundingMode.FLOOR);
        if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
            throw new RowSkipped(SkipReason.BAD_NUMBER, field + " '" + text + "' is out of range");
        }
        return value.longValueExact();
    }
}
