package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaArgsTest {

    @Test
    void takesOutBothFormsAndLeavesTheRest() {
        List<String> args = new ArrayList<>(List.of(
                "--speedup",
                "2",
                "--kafka.security.protocol=SASL_SSL",
                "--kafka.linger.ms",
                "20",
                "--kafka.sasl.jaas.config=a=b c=d",
                "--kafka.client.id=",
                "--kafka.linger.ms=30",
                "--dataset",
                "csv:x.csv",
                "--",
                "--kafka.not.this=1"));

        assertThat(KafkaArgs.extractKafkaProperties(args))
                .containsExactly(
                        java.util.Map.entry("security.protocol", "SASL_SSL"),
                        java.util.Map.entry("linger.ms", "30"), // the later value wins, in first-seen order
                        java.util.Map.entry("sasl.jaas.config", "a=b c=d"),
                        java.util.Map.entry("client.id", ""));
        assertThat(args).containsExactly("--speedup", "2", "--dataset", "csv:x.csv", "--", "--kafka.not.this=1");
    }

    @Test
    void rejectsMissingNameOrValue() {
        assertThatThrownBy(() -> KafkaArgs.extractKafkaProperties(new ArrayList<>(List.of("--kafka.=1"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaArgs.extractKafkaProperties(new ArrayList<>(List.of("--kafka.acks"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no value for --kafka.acks");
    }
}
