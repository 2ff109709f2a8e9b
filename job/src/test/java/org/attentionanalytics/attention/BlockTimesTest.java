package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.attentionanalytics.avro.internal.BlockSpec;
import org.junit.jupiter.api.Test;

/** When focus-block occurrences are (DESIGN.md section 13), in Europe/Berlin (UTC+1, UTC+2 in summer). */
class BlockTimesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static BlockSpec weekly(List<Integer> days, int startMinute, int endMinute) {
        return BlockSpec.newBuilder()
                .setName("w")
                .setDays(days)
                .setLocalStartMinute(startMinute)
                .setLocalEndMinute(endMinute)
                .build();
    }

    @Test
    void aWeeklyBlockAcrossMidnightBelongsToTheDayItStarts() {
        // Sundays 22:00 to 02:00 local; Sunday 2025-01-05 22:00 CET = 21:00Z, Monday 02:00 CET = 01:00Z
        BlockSpec sundayNight = weekly(List.of(7), 22 * 60, 2 * 60);
        assertThat(BlockTimes.occurrenceAt(sundayNight, BERLIN, utc("2025-01-06T00:30:00Z")))
                .containsExactly(utc("2025-01-05T21:00:00Z"), utc("2025-01-06T01:00:00Z"));
        // Monday 22:30 local is no occurrence: the block starts on Sundays only
        assertThat(BlockTimes.occurrenceAt(sundayNight, BERLIN, utc("2025-01-06T21:30:00Z")))
                .isNull();
        // the end is exclusive
        assertThat(BlockTimes.occurrenceAt(sundayNight, BERLIN, utc("2025-01-06T01:00:00Z")))
                .isNull();
    }

    @Test
    void aWeeklyBlockOverADaylightSavingChangeLastsTheLocalClockTime() {
        // Sunday 2025-03-30: 02:00 CET becomes 03:00 CEST. 01:00 CET = 00:00Z, 04:00 CEST = 02:00Z: 2 hours
        BlockSpec early = weekly(List.of(7), 60, 4 * 60);
        assertThat(BlockTimes.occurrenceAt(early, BERLIN, utc("2025-03-30T01:00:00Z")))
                .containsExactly(utc("2025-03-30T00:00:00Z"), utc("2025-03-30T02:00:00Z"));
        // Sunday 2025-10-26: 03:00 CEST becomes 02:00 CET. 01:00 CEST = 23:00Z the day before, 04:00 CET = 03:00Z: 4
        // hours
        assertThat(BlockTimes.occurrenceAt(early, BERLIN, utc("2025-10-26T01:00:00Z")))
                .containsExactly(utc("2025-10-25T23:00:00Z"), utc("2025-10-26T03:00:00Z"));
    }

    @Test
    void occurrencesOfAWeekAreTheBlocksDaysOnly() {
        // Monday, Wednesday, Friday 09:00 to 11:00 local in the week of Monday 2025-01-06 (CET, UTC+1)
        BlockSpec mwf = weekly(List.of(1, 3, 5), 9 * 60, 11 * 60);
        assertThat(BlockTimes.occurrences(mwf, BERLIN, utc("2025-01-06T00:00:00Z"), utc("2025-01-13T00:00:00Z")))
                .extracting(o -> Instant.ofEpochMilli(o[0]).toString())
                .containsExactly("2025-01-06T08:00:00Z", "2025-01-08T08:00:00Z", "2025-01-10T08:00:00Z");
    }

    @Test
    void aOneOffBlockIsItsOwnInterval() {
        BlockSpec once = BlockSpec.newBuilder()
                .setName("o")
                .setStart(utc("2025-01-06T09:00:00Z"))
                .setEnd(utc("2025-01-06T10:00:00Z"))
                .build();
        assertThat(BlockTimes.isOneOff(once)).isTrue();
        assertThat(BlockTimes.occurrenceAt(once, BERLIN, utc("2025-01-06T09:59:59.999Z")))
                .isNotNull();
        assertThat(BlockTimes.occurrenceAt(once, BERLIN, utc("2025-01-06T10:00:00Z")))
                .isNull();
    }
}
