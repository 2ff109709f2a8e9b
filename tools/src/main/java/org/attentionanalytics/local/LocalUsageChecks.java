package org.attentionanalytics.local;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.replay.ControlCsv;
import org.attentionanalytics.replay.DatasetReader;
import org.attentionanalytics.replay.FocusBlocksCsv;
import org.attentionanalytics.replay.ReplayFormat;
import picocli.CommandLine.ParameterException;

/**
 * The usage checks of {@code bin/attention local}, made before the broker and the job start: a
 * wrong option or a file that does not fit is a {@link ParameterException} (exit code 2) that names
 * the option and says what to do, never a failure a minute later. Also fills in the options the
 * local run derives ({@code --alerts.max-age 0} for a replay, the default parallelism, the replay
 * format).
 */
final class LocalUsageChecks {
    private LocalUsageChecks() {}

    static void validate(LocalCommand c) {
        if (c.spec.commandLine().getParseResult().hasMatchedOption("--bootstrap-servers")) {
            c.spec.commandLine()
                    .getErr()
                    .println("local: note: --bootstrap-servers is ignored, the local run uses its embedded broker");
        }
        if (c.options.bounded && c.replay.dataset == null) {
            throw new ParameterException(c.spec.commandLine(), "--bounded needs at least one --dataset KIND:PATH");
        }
        if (c.options.bounded && c.outputDir == null) {
            throw new ParameterException(c.spec.commandLine(), "--bounded needs --output-dir DIR");
        }
        if (!c.options.bounded && c.outputDir != null) {
            throw new ParameterException(
                    c.spec.commandLine(), "--output-dir is written by bounded runs only: add --bounded");
        }
        if (c.options.inputFormat == org.attentionanalytics.io.InputFormat.AVRO_REGISTRY) {
            throw new ParameterException(
                    c.spec.commandLine(),
                    "the local run's replay and demo write avro or json: --input-format avro-registry is for your "
                            + "producers' topics (bin/attention run)");
        }
        // the replay writes what the job reads
        c.replay.replayFormat = switch (c.options.inputFormat) {
            case AVRO, AUTO -> ReplayFormat.AVRO; // auto reads both: the replay writes Avro
            default -> ReplayFormat.JSON;
        };
        if (c.replay.dataset == null && c.replay.replayFormat != ReplayFormat.AVRO) {
            throw new ParameterException(
                    c.spec.commandLine(), "the demo traffic is Avro: --input-format json needs a --dataset");
        }
        if (c.webPort < 0 || c.webPort > 65535) {
            throw new ParameterException(c.spec.commandLine(), "--web-port must be between 0 and 65535");
        }
        if (c.demoUsers < 1) {
            throw new ParameterException(c.spec.commandLine(), "--demo-users must be at least 1, not " + c.demoUsers);
        }
        if (!(c.demoRate >= 0) || Double.isInfinite(c.demoRate)) {
            throw new ParameterException(
                    c.spec.commandLine(),
                    "--demo-rate must be 0 (the users' natural pace) or a positive number, not " + c.demoRate);
        }
        if (c.replay.speedup < 0) {
            throw new ParameterException(c.spec.commandLine(), "--speedup must be 0 (as fast as possible) or positive");
        }
        if (c.replay.dataset != null && !Files.isRegularFile(c.replay.dataset.path())) {
            throw new ParameterException(
                    c.spec.commandLine(), "cannot read dataset " + c.replay.dataset.path() + ": no such file");
        }
        if (c.replay.dataset != null) {
            try { // the header and first row: a file that does not fit its kind or --columns is a usage error
                DatasetReader.checkLayout(c.replay);
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(
                        c.spec.commandLine(), "--dataset " + c.replay.dataset + ": " + e.getMessage());
            }
        }
        if (c.replay.dataset == null
                && (c.replay.budgets != null || c.replay.erasures != null || c.replay.focusBlocks != null)) {
            throw new ParameterException(
                    c.spec.commandLine(),
                    "--budgets, --erasures and --focus-blocks are replayed with a --dataset (the demo traffic has its own users)");
        }
        try { // small hand-written files: a bad row is a usage error before the broker starts
            if (c.replay.budgets != null) {
                ControlCsv.readBudgets(
                        c.replay.budgets.path(), java.time.Instant.EPOCH); // the dataset's first event time stands in
            }
            if (c.replay.erasures != null) {
                ControlCsv.readErasures(c.replay.erasures.path());
            }
            if (c.replay.focusBlocks != null) {
                FocusBlocksCsv.read(c.replay.focusBlocks.path(), java.time.Instant.EPOCH);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(c.spec.commandLine(), "cannot use the file: " + e.getMessage());
        }
        if (c.outputDir != null) {
            try {
                Files.createDirectories(c.outputDir);
            } catch (IOException | RuntimeException e) {
                throw new ParameterException(
                        c.spec.commandLine(), "cannot create --output-dir " + c.outputDir + ": " + e);
            }
        }
        if (c.partitions < 1) {
            throw new ParameterException(c.spec.commandLine(), "--partitions must be at least 1");
        }
        if (c.replay.dataset != null && c.options.alertsMaxAge == null) {
            // a c.replay of history: every alert is about the past; send them all unless told otherwise
            c.options.alertsMaxAge = Duration.ZERO;
        }
        if (c.options.parallelism == -1) {
            c.options.parallelism = LocalCommand.DEFAULT_PARALLELISM;
        } else if (c.options.parallelism < 1) {
            throw new ParameterException(c.spec.commandLine(), "--parallelism must be at least 1 (or -1)");
        }
        if (c.startsRegistry()) {
            c.options.schemaRegistryUrl = LocalCommand.EMBEDDED_REGISTRY; // its real URL once it runs
        }
        try {
            AttentionJob.validate(c.options); // before the broker starts: a usage error, not a failure
        } catch (IllegalArgumentException e) {
            throw new ParameterException(c.spec.commandLine(), e.getMessage());
        }
        checkPortFree(c, c.webPort); // last: the c.options are judged whatever else runs on this machine
    }

    /** Binds {@code port} for a moment, so that a busy web UI port is a usage error instead of a failure a minute later. */
    private static void checkPortFree(LocalCommand c, int port) {
        if (port == 0) {
            return; // any free port
        }
        try (ServerSocket free = new ServerSocket(port)) {
            // bound: nobody listens there
        } catch (IOException e) {
            throw new ParameterException(
                    c.spec.commandLine(),
                    e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")
                            ? "--web-port " + port + " is in use; pick another with --web-port"
                            : "--web-port " + port + ": cannot listen there (" + e.getMessage()
                                    + "); pick another with --web-port");
        }
    }
}
