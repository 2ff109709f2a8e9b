package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --input-format}: the values it accepts and how it is shown. */
class InputFormatTest {
    static class Probe {
        @CommandLine.Option(names = "--input-format", defaultValue = "avro", converter = InputFormat.Converter.class)
        InputFormat format;
    }

    @Test
    void avroOrJsonInAnyCase() {
        assertThat(InputFormat.parse("avro")).isEqualTo(InputFormat.AVRO);
        assertThat(InputFormat.parse("JSON")).isEqualTo(InputFormat.JSON);
        assertThat(InputFormat.parse("Json")).isEqualTo(InputFormat.JSON);
        assertThat(InputFormat.AVRO).hasToString("avro");
        assertThat(InputFormat.JSON).hasToString("json");
    }

    @Test
    void anythingElseIsRefusedSayingWhatIsAccepted() {
        for (String bad : new String[] {"xml", "", " avro", "avro_registry", "registry"}) {
            assertThatThrownBy(() -> InputFormat.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("must be avro, json, auto or avro-registry, not " + bad);
        }
    }

    @Test
    void picocliConvertsAndDefaultsToAvro() {
        Probe defaults = new Probe();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.format).isEqualTo(InputFormat.AVRO);
        Probe json = new Probe();
        new CommandLine(json).parseArgs("--input-format", "JSON");
        assertThat(json.format).isEqualTo(InputFormat.JSON);
        assertThatThrownBy(() -> new CommandLine(new Probe()).parseArgs("--input-format", "xml"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("must be avro, json, auto or avro-registry, not xml");
        Probe registry = new Probe();
        new CommandLine(registry).parseArgs("--input-format", "Avro-Registry");
        assertThat(registry.format).isEqualTo(InputFormat.AVRO_REGISTRY).hasToString("avro-registry");
    }
}
