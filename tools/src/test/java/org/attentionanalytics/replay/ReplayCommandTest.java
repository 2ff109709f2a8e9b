package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command's help and errors; replaying into Kafka is in {@link DatasetReplayITCase}. */
class ReplayCommandTest {

    static int execute(StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = new CommandLine(new ReplayCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        assertThat(execute(out, new StringWriter(), "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "Usage: replay",
                        "--bootstrap-servers",
                        "--topic.clickstream",
                        "--topic.dwell-time",
                        "--dataset=KIND:PATH",
                        "--catalog=csv:PATH",
                        "--topic.catalog",
                        "--speedup",
                        "--time-zone",
                        "--replay-format",
                        "--columns",
                        "--time-format",
                        "--event-types",
                        "--separator",
                        "--[no-]header",
                        "--[no-]progress",
                        "--null-values",
                        "--quote=CHAR|none",
                        "--explode=COLUMN=SEP:TYPE",
                        "--[no-]row-events",
                        "--max-skipped",
                        "Default: localhost:9092");
    }

    /** Checked before Kafka is contacted: no broker needed. */
    @Test
    void aSkippedRowFailsTheReplayNamingTheFileAndTheRow(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("na.csv");
        java.nio.file.Files.writeString(f, "user_id,event_time\nu1,2024-01-01T10:00:00Z\nNA,2024-01-01T10:00:00Z\n");
        StringWriter err = new StringWriter();

        int exit = execute(
                new StringWriter(),
                err,
                "--bootstrap-servers",
                "localhost:1",
                "--max-wait",
                "1 s",
                "--no-progress",
                "--dataset",
                "csv:" + f,
                "--null-values",
                "NA");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains(
                        "na.csv: 1 of 2 rows skipped (no_user 1), more than --max-skipped 0 allows; nothing was published. "
                                + "First skipped rows: row 2: no_user: no user_id");
    }

    @Test
    void aFileThatDoesNotFitItsKindIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = execute(new StringWriter(), err, "--dataset", "rees46:" + DatasetReaderTest.fixture("history.csv"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("history.csv is not rees46: no column [event_time, event_type, product_id");
    }

    @Test
    void theDatasetIsRequired() {
        StringWriter err = new StringWriter();
        assertThat(execute(new StringWriter(), err)).isEqualTo(2);
        assertThat(err.toString()).contains("--dataset");
    }

    @Test
    void aMissingCatalogFileIsAUsageError() {
        StringWriter err = new StringWriter();
        assertThat(execute(new StringWriter(), err, "--catalog", "csv:/no/such/catalog.csv"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("/no/such/catalog.csv");
    }

    @Test
    void aMissingFileIsAUsageError() {
        StringWriter err = new StringWriter();
        assertThat(execute(new StringWriter(), err, "--dataset", "csv:/no/such/file.csv"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("/no/such/file.csv");
    }
}
