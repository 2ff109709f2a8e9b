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
                        "Default: localhost:9092");
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
