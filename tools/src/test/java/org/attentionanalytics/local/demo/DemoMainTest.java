package org.attentionanalytics.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The stand-alone demo generator's command line. */
class DemoMainTest {
    @Test
    void defaultsMatchTheLocalRunnerAndTheJobTopics() {
        DemoMain demo = DemoMain.parse();
        assertThat(demo.bootstrapServers).isEqualTo("localhost:9092");
        assertThat(demo.users).isEqualTo(1000);
        assertThat(demo.rate).isEqualTo(200.0);
        assertThat(demo.clickstreamTopic).isEqualTo("clickstream");
        assertThat(demo.dwellTopic).isEqualTo("dwell-time");
        assertThat(demo.budgetsTopic).isEqualTo("attention-budgets");
        assertThat(demo.focusBlocksTopic).isEqualTo("focus-blocks");
    }

    @Test
    void readsEveryOption() {
        DemoMain demo = DemoMain.parse(
                "--bootstrap-servers",
                "kafka:9092",
                "--users",
                "50",
                "--rate",
                "12.5",
                "--topic.clickstream",
                "clicks",
                "--topic.dwell-time=dwell",
                "--topic.budgets=budgets",
                "--topic.focus-blocks=blocks");
        assertThat(demo.bootstrapServers).isEqualTo("kafka:9092");
        assertThat(demo.users).isEqualTo(50);
        assertThat(demo.rate).isEqualTo(12.5);
        assertThat(demo.clickstreamTopic).isEqualTo("clicks");
        assertThat(demo.dwellTopic).isEqualTo("dwell");
        assertThat(demo.budgetsTopic).isEqualTo("budgets");
        assertThat(demo.focusBlocksTopic).isEqualTo("blocks");
    }

    @Test
    void refusesBadValuesAndUnknownOptions() {
        assertThatThrownBy(() -> DemoMain.parse("--users", "0"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--users");
        assertThatThrownBy(() -> DemoMain.parse("--rate", "-1"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> DemoMain.parse("--users", "many")).isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> DemoMain.parse("--speed", "2")).isInstanceOf(ParameterException.class);
    }
}
