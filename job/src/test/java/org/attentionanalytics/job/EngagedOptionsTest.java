package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.session.SessionRules;
import org.attentionanalytics.session.SessionRules.EngagedRule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code --engaged.*} options of the engaged-session rule (DESIGN.md section 5): parsing, defaults, checks. */
class EngagedOptionsTest {
    private static JobOptions parse(String... args) {
        JobOptions o = new JobOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void theDefaultsAreGa4sRule() {
        JobOptions o = JobOptions.defaults();
        assertThat(o.engagedRule()).isEqualTo(EngagedRule.GA4);
        assertThat(o.sessionRules(Duration.ofMinutes(5)).engaged()).isEqualTo(EngagedRule.GA4);
        assertThat(o.sessionRules(Duration.ofMinutes(5)))
                .isEqualTo(SessionRules.defaults(1_800_000L, 43_200_000L, 300_000L));
    }

    @Test
    void theOptionsBuildTheRule() {
        JobOptions o = parse(
                "--engaged.min-views",
                "3",
                "--engaged.min-time",
                "30 s",
                "--engaged.inclusive",
                "--engaged.conversions",
                "purchase, ADD_TO_CART");
        EngagedRule expected = new EngagedRule(3, 30_000L, true, Set.of(EventType.PURCHASE, EventType.ADD_TO_CART));
        assertThat(o.engagedRule()).isEqualTo(expected);
        assertThat(o.sessionRules(Duration.ofMinutes(5)).engaged()).isEqualTo(expected);
        OptionChecks.validate(o); // valid
        assertThat(parse("--engaged.min-views=0").engagedRule().minViews()).isZero();
        assertThat(parse("--engaged.conversions=").engagedRule().conversions())
                .as("empty: no conversion")
                .isEmpty();
    }

    @Test
    void aYamlListOfTypesReadsAsTheCommaSeparatedOne() {
        // --config turns `engaged.conversions: [PURCHASE, ADD_TO_CART]` into the text of the list
        assertThat(SessionOptions.conversions("[PURCHASE, ADD_TO_CART]"))
                .containsExactlyInAnyOrder(EventType.PURCHASE, EventType.ADD_TO_CART);
        assertThat(SessionOptions.conversions("[]")).isEmpty();
    }

    @Test
    void anUnknownTypeIsRefusedWithTheTypes() {
        JobOptions o = parse("--engaged.conversions", "PURCHASE,CHECKOUT");
        assertThatThrownBy(() -> OptionChecks.validate(o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--engaged.conversions: 'CHECKOUT' is not a ClickEvent event type; the types are "
                        + "VIEW, CLICK, SEARCH, SCROLL, ADD_TO_CART, PURCHASE, SHARE, OTHER");
        assertThatThrownBy(() -> SessionOptions.conversions("PURCHASE,,SHARE"))
                .hasMessageContaining("--engaged.conversions has an empty name");
    }

    @Test
    void negativeValuesAreRefusedByName() {
        assertThatThrownBy(() -> OptionChecks.validate(parse("--engaged.min-views", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--engaged.min-views must be 0 (views never make a session engaged) or more, not -1");
        assertThatThrownBy(() -> OptionChecks.validate(parse("--engaged.min-time", "-1 s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--engaged.min-time must not be negative, not PT-1S");
    }

    @Test
    void theOptionsAreInTheHelpAndTheJobsConfiguration() {
        String help = new CommandLine(new JobOptions())
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " "); // picocli wraps the descriptions
        assertThat(help)
                .contains("--engaged.min-views=N A session with at least this many page views is engaged")
                .contains("--engaged.min-time=<engagedMinTime> A session with more engaged time than this")
                .contains("--engaged.inclusive Engaged time equal to --engaged.min-time")
                .contains("--engaged.conversions=TYPES ClickEvent event types")
                .contains("Default: PURCHASE");
        assertThat(JobOptions.defaults().toConfigMap())
                .containsEntry("engaged.min-views", "2")
                .containsEntry("engaged.min-time", "PT10S")
                .containsEntry("engaged.inclusive", "false")
                .containsEntry("engaged.conversions", "PURCHASE");
    }
}
