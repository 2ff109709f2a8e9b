package org.attentionanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The usage help of every command of {@code bin/attention}, as a new user first sees it. */
class UsageHelpTest {
    /**
     * picocli runs every description through {@link String#format}; a lone {@code %} fails there and
     * picocli prints a {@code [picocli WARN] Could not format ...} line above the help (so every
     * option's raw annotation text, and every command's description, header and footer, must format).
     */
    @Test
    void everyHelpTextFormatsWithoutAPicocliWarning() {
        List<String> unformattable = new ArrayList<>();
        List<CommandSpec> commands = commands(AttentionCli.commandLine().getCommandSpec());
        assertThat(commands)
                .extracting(CommandSpec::name)
                .contains("local", "run", "create-topics", "consume", "replay");
        for (CommandSpec command : commands) {
            List<String> texts = new ArrayList<>();
            texts.addAll(List.of(command.usageMessage().description()));
            texts.addAll(List.of(command.usageMessage().header()));
            texts.addAll(List.of(command.usageMessage().footer()));
            for (ArgSpec arg : command.args()) {
                texts.addAll(List.of(rawDescription(arg)));
            }
            for (String text : texts) {
                try {
                    String.format(text);
                } catch (IllegalFormatException e) {
                    unformattable.add(command.qualifiedName() + ": " + text);
                }
            }
        }
        assertThat(unformattable).isEmpty();
    }

    @Test
    void theStateCacheDescriptionReadsFortyPercent() {
        for (String command : List.of("local", "run")) {
            String help =
                    AttentionCli.commandLine().getSubcommands().get(command).getUsageMessage();
            assertThat(help.replaceAll("\\s+", " "))
                    .as(command)
                    .contains(
                            "as many as fit in 40 % of the JVM heap, shared by the TaskManager's slots, at about 5 KB a user.")
                    .doesNotContain("%%");
        }
    }

    /** The description as written in the annotation ({@link ArgSpec#description()} is already formatted). */
    private static String[] rawDescription(ArgSpec arg) {
        if (arg.userObject() instanceof AnnotatedElement element) {
            if (element.getAnnotation(Option.class) != null) {
                return element.getAnnotation(Option.class).description();
            }
            if (element.getAnnotation(Parameters.class) != null) {
                return element.getAnnotation(Parameters.class).description();
            }
        }
        return arg.description();
    }

    private static List<CommandSpec> commands(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>(List.of(root));
        for (CommandLine sub : root.subcommands().values()) {
            all.addAll(commands(sub.getCommandSpec()));
        }
        return all;
    }
}
