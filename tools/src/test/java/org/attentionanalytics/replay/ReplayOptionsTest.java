package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReplayOptionsTest {

    @Test
    void defaults() {
        ReplayOptions o = ReplayOptions.parse("--dataset", "ebnerd-history:/data/a:b.csv");

        assertThat(o.dataset)
                .isEqualTo(new ReplayOptions.DatasetSpec(DatasetKind.EBNERD_HISTORY, Path.of("/data/a:b.csv")));
        assertThat(o.speedup).isZero();
        assertThat(o.timeZone).isEqualTo(ZoneId.of("UTC"));
        assertThat(o.timeZoneField()).isNull();
        assertThat(o.replayFormat).isEqualTo(ReplayFormat.AVRO);
        assertThat(o.columns).isNull();
        assertThat(o.timeFormat).isEqualTo("ISO-8601");
        assertThat(o.eventTypes).isNull();
        assertThat(o.separator).isEqualTo(',');
        assertThat(o.header).isTrue();
        assertThat(o.rows.nullValues).isEmpty();
        assertThat(o.rows.quoteOrNull()).isEqualTo('"');
        assertThat(o.rows.explode).isEmpty();
        assertThat(o.rows.rowEvents).isTrue();
        assertThat(o.rows.maxSkipped).isZero();
    }

    @Test
    void rowOptions() {
        ReplayOptions o = ReplayOptions.parse(
                "--dataset",
                "csv:x.tsv",
                "--null-values",
                "NA,null",
                "--quote",
                "none",
                "--explode",
                "clicked= :CLICK",
                "--explode",
                "3=,:view",
                "--no-row-events",
                "--max-skipped",
                "12");

        assertThat(o.rows.nullValues).containsExactly("NA", "null");
        assertThat(o.rows.quoteOrNull()).isNull();
        assertThat(o.rows.explode)
                .containsExactly(
                        new ExplodeSpec("clicked", -1, " ", org.attentionanalytics.avro.EventType.CLICK),
                        new ExplodeSpec("3", 3, ",", org.attentionanalytics.avro.EventType.VIEW));
        assertThat(o.rows.rowEvents).isFalse();
        assertThat(o.rows.maxSkipped).isEqualTo(12);
        assertThat(ReplayOptions.parse("--quote", "'").rows.quoteOrNull()).isEqualTo('\'');
        assertThatThrownBy(() -> ReplayOptions.parse("--quote", "ab"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("one character or none");
    }

    @Test
    void values() {
        ReplayOptions o = ReplayOptions.parse(
                "--dataset",
                "CSV:x.tsv",
                "--speedup",
                "60",
                "--time-zone",
                "Europe/Copenhagen",
                "--replay-format",
                "JSON",
                "--columns",
                "user_id=2,event_time=0",
                "--separator",
                "\\t",
                "--no-header",
                "--event-types",
                "pv=VIEW,hb=DWELL");

        assertThat(o.dataset.kind()).isEqualTo(DatasetKind.CSV);
        assertThat(o.speedup).isEqualTo(60.0);
        assertThat(o.timeZoneField()).isEqualTo("Europe/Copenhagen");
        assertThat(o.replayFormat).isEqualTo(ReplayFormat.JSON);
        assertThat(o.columns).containsExactly(Map.entry("user_id", 2), Map.entry("event_time", 0));
        assertThat(o.separator).isEqualTo('\t');
        assertThat(o.header).isFalse();
        assertThat(o.eventTypes).containsEntry("hb", "DWELL");
        assertThat(ReplayOptions.parse("--dataset", "csv:x", "--time-zone", "Etc/UTC")
                        .timeZoneField())
                .isNull();
    }

    @Test
    void invalidValues() {
        assertThatThrownBy(() -> ReplayOptions.parse("--dataset", "parquet:x"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown dataset kind 'parquet'");
        assertThatThrownBy(() -> ReplayOptions.parse("--dataset", "x.csv"))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> ReplayOptions.parse("--dataset", "csv:x", "--time-zone", "Mars/Olympus"))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> ReplayOptions.parse("--max-skipped", "-1"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid value for option '--max-skipped': must be 0 or more (the number of rows that may "
                        + "be skipped), got -1");
        assertThatThrownBy(() -> ReplayOptions.parse("--max-skipped", "ten"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid value for option '--max-skipped': must be a whole number, 0 or more, got 'ten'");
        assertThat(ReplayOptions.parse("--max-skipped", "0").rows.maxSkipped).isZero();
        assertThat(ReplayOptions.parse().dataset)
                .as("optional in the mixin: local runs without one")
                .isNull();
    }

    @Test
    void epochTimeFormats() {
        // 1704103200 s = 2024-01-01T10:00:00Z, whatever the zone
        ZoneId cph = ZoneId.of("Europe/Copenhagen");
        assertThat(TimeParser.of("epoch-seconds", cph).parse("1704103200"))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(TimeParser.of("epoch-millis", cph).parse(" 1704103200123 "))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00.123Z"));
        assertThat(TimeParser.of("ISO-8601", ZoneOffset.UTC).parse("2024-01-01T10:00:00.5"))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00.500Z"));
    }
}
