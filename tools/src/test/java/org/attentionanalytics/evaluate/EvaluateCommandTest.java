package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.attentionanalytics.cli.AttentionCli;
import org.attentionanalytics.job.CliSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code bin/attention evaluate}'s usage errors, found before any broker or job starts. */
class EvaluateCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CliSupport.execute(
                new CommandLine(new EvaluateCommand())
                        .setOut(new PrintWriter(new StringWriter()))
                        .setErr(new PrintWriter(err, true)),
                args);
    }

    @Test
    void needsADataset() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("evaluate needs --dataset KIND:PATH");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--recs.size=5",
                "--recs.min-interval=10s",
                "--recs.exclude-viewed-within=1h",
                "--recs.enabled=false",
                "--recs.modes=true"
            })
    void theRecommendationOptionsItSetsAreNotToBeGiven(String option) {
        assertThat(run("--dataset", "csv:views.csv", option)).isEqualTo(2);
        assertThat(err.toString())
                .contains("evaluate sets --recs.enabled true, --recs.size 20, --recs.min-interval 0s, "
                        + "--recs.exclude-viewed-within 0s and --recs.modes false itself: leave out "
                        + option.substring(0, option.indexOf('=')));
    }

    @Test
    void isASubcommandOfBinAttention() {
        assertThat(AttentionCli.commandLine().getSubcommands()).containsKey("evaluate");
    }
}
