package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.util.InstantiationUtil;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.io.DoorSettings;
import org.attentionanalytics.io.JsonMapping;
import org.attentionanalytics.io.JsonMapping.Field;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code --json.*} options: parsing, checks at start, help, configuration and the doors' settings. */
class JsonMappingOptionsTest {
    private static JobOptions parse(String... args) {
        JobOptions o = new JobOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void withoutAMappingJsonIsTheJobsOwnFieldNames() {
        assertThat(OptionChecks.doorSettings(parse("--input-format", "json")).json())
                .isSameAs(JsonMapping.NONE);
    }

    @Test
    void theMappingIsShippedToTheDoors() throws Exception {
        JobOptions o = parse(
                "--input-format", "json",
                "--json.user-id", "$.userId",
                "--json.event-id", "$.messageId",
                "--json.topics", "$.properties.category",
                "--json.event-types", "Product Viewed=VIEW,Order Completed=PURCHASE");
        AttentionJob.validate(o);
        DoorSettings s = OptionChecks.doorSettings(o);
        DoorSettings shipped = InstantiationUtil.clone(s); // as the TaskManagers get it
        assertThat(shipped.json()).isEqualTo(s.json());
        assertThat(shipped.json().path(Field.USER_ID)).isEqualTo("$.userId");
        assertThat(shipped.json().path(Field.EVENT_TIME)).isNull();
        assertThat(shipped.json().eventTypes()).containsEntry("Order Completed", EventType.PURCHASE);
        assertThat(o.toConfigMap())
                .containsEntry("json.user-id", "$.userId")
                .containsEntry("json.event-types", "Product Viewed=VIEW,Order Completed=PURCHASE");
    }

    @Test
    void aPathThatDoesNotCompileIsAUsageErrorNamingTheOption() {
        assertThatThrownBy(
                        () -> AttentionJob.validate(parse("--input-format", "json", "--json.item-id", "$.items[*].id")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--json.item-id '$.items[*].id': ");
        assertThatThrownBy(() -> AttentionJob.validate(parse("--json.user-id", "$.userId")))
                .hasMessage("--json.* map JSON input: they need --input-format json or auto, not avro");
    }

    @Test
    void theOptionsAreInTheHelp() {
        String help = new CommandLine(new JobOptions())
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        assertThat(help)
                .contains("--json.user-id=PATH JSON path of user_id, required, e.g. $.userId")
                .contains("--json.event-types=NAME=TYPE,...")
                .contains("--json.session-id=PATH");
    }
}
