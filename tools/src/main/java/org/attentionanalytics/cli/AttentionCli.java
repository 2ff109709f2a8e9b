package org.attentionanalytics.cli;

import java.util.ServiceLoader;
import org.attentionanalytics.evaluate.EvaluateCommand;
import org.attentionanalytics.job.CliSupport;
import org.attentionanalytics.job.RunCommand;
import org.attentionanalytics.local.ConsumeCommand;
import org.attentionanalytics.local.CreateTopicsCommand;
import org.attentionanalytics.local.LocalCommand;
import org.attentionanalytics.replay.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/attention}: the project's command line; each subcommand has its own {@code --help}. */
@Command(
        name = "attention",
        mixinStandardHelpOptions = true,
        version = "Attention Analytics 0.1.0",
        footer = {
            "",
            "Every command that talks to Kafka takes client properties as --kafka.<property>=<value>;",
            "local, run and create-topics read options from a YAML file with --config FILE. ATTENTION_DEBUG=1 prints stack traces."
        },
        description =
                "Attention Analytics: sessions, attention metrics and interest vectors from clickstream and dwell time, on Flink and Kafka.",
        subcommands = {
            LocalCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            ConsumeCommand.class,
            CreateTopicsCommand.class,
            EraseCommand.class,
            BudgetCommand.class,
            FocusBlockCommand.class,
            ClusterCommand.class,
            EvaluateCommand.class
        })
public final class AttentionCli {
    /** Entry point of {@code bin/attention}. */
    public static void main(String[] args) {
        System.exit(CliSupport.execute(commandLine(), args));
    }

    /** The command line with every subcommand, those of other modules ({@link ExtraCommand}) included. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AttentionCli());
        for (ExtraCommand extra : ServiceLoader.load(ExtraCommand.class)) {
            cl.addSubcommand(extra);
        }
        return cl;
    }
}
