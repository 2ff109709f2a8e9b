package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class KafkaPassThroughTest {
  private final CommandLine cmd = new CommandLine(new ConsumeCommand());

  @Test
  void readsBothForms() {
    assertThat(KafkaPassThrough.parse(cmd, List.of("--kafka.security.protocol=SASL_SSL",
        "--kafka.sasl.jaas.config=a=b c", "--kafka.client.id", "x")))
        .isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "a=b c", "client.id", "x"));
  }

  @Test
  void rejectsOtherArgumentsAndMissingValues() {
    assertThatThrownBy(() -> KafkaPassThrough.parse(cmd, List.of("--bogus"))).isInstanceOf(ParameterException.class)
        .hasMessageContaining("--bogus");
    assertThatThrownBy(() -> KafkaPassThrough.parse(cmd, List.of("--kafka.acks"))).isInstanceOf(ParameterException.class)
        .hasMessageContaining("without a value");
  }

  @Test
  void picocliHandsUnknownOptionsToTheCommand() {
    ConsumeCommand c = new ConsumeCommand();
    new CommandLine(c).parseArgs("--topic", "t", "--kafka.security.protocol=SSL", "--kafka.acks", "all");
    assertThat(KafkaPassThrough.parse(cmd, c.unmatched)).isEqualTo(Map.of("security.protocol", "SSL", "acks", "all"));
  }
}
