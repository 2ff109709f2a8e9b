package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Strict numbers of dataset rows: plain decimal digits only, within the long range. */
class CsvNumberTest {

    @Test
    void plainDecimalsParseAndRoundAsMathRound() {
        assertThat(CsvNumber.parse("dwell_ms", "1500", 1, true)).isEqualTo(1500);
        assertThat(CsvNumber.parse("dwell_ms", " +1500 ", 1, true)).isEqualTo(1500);
        assertThat(CsvNumber.parse("dwell_ms", "-3", 1, true)).isEqualTo(-3);
        assertThat(CsvNumber.parse("dwell_ms", "2.5", 1, true)).isEqualTo(3);
        assertThat(CsvNumber.parse("dwell_ms", "-2.5", 1, true))
                .isEqualTo(Math.round(-2.5))
                .isEqualTo(-2);
        assertThat(CsvNumber.parse("dwell_ms", "7.", 1, true)).isEqualTo(7);
        assertThat(CsvNumber.parse("read_time_s", ".5", 1000, true)).isEqualTo(500);
        assertThat(CsvNumber.parse("read_time_s", "1.2345", 1000, true)).isEqualTo(1235);
        assertThat(CsvNumber.parse("dwell_ms", "9223372036854775807", 1, true)).isEqualTo(Long.MAX_VALUE);
        assertThat(CsvNumber.parse("dwell_ms", "-9223372036854775808", 1, false))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anythingElseIsABadNumberNamingTheFieldAndValue() {
        for (String text : new String[] {
            "NaN",
            "Infinity",
            "-Infinity",
            "0x1p12",
            "0x10",
            "100f",
            "100d",
            "1e19",
            "1E3",
            "1,000",
            "1_000",
            "",
            " ",
            ".",
            "+",
            "--1",
            "1.2.3",
            "١٢" // Arabic-Indic digits: not plain decimal digits
        }) {
            assertThatThrownBy(() -> CsvNumber.parse("dwell_ms", text, 1, true))
                    .isInstanceOf(RowSkipped.class)
                    .hasMessage("dwell_ms '" + text + "' is not a number")
                    .satisfies(e -> assertThat(((RowSkipped) e).reason()).isEqualTo(SkipReason.BAD_NUMBER));
        }
        assertThatThrownBy(() -> CsvNumber.parse("x", "1.5", 1, false))
                .as("no fraction where none makes sense")
                .hasMessage("x '1.5' is not a number");
    }

    @Test
    void beyondTheLongRangeIsABadNumber() {
        for (String text : new String[] {"9223372036854775808", "-9223372036854775809", "99999999999999999999"}) {
            assertThatThrownBy(() -> CsvNumber.parse("dwell_ms", text, 1, true))
                    .isInstanceOf(RowSkipped.class)
                    .hasMessage("dwell_ms '" + text + "' is out of range")
                    .satisfies(e -> assertThat(((RowSkipped) e).reason()).isEqualTo(SkipReason.BAD_NUMBER));
        }
        assertThatThrownBy(() -> CsvNumber.parse("read_time_s", "9223372036854776", 1000, true))
                .as("out of range after scaling seconds to ms")
                .hasMessage("read_time_s '9223372036854776' is out of range");
    }
}
