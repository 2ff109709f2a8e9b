package org.attentionanalytics.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code bin/attention cluster}, as {@code bin/attention --help} lists it. The script {@code
 * bin/attention} runs it ({@code deploy/local-cluster/cluster.sh}) before any Java starts; this
 * class only answers when the command line is started some other way, and says so.
 */
@Command(
        name = "cluster",
        description =
                "A local standalone Kafka and Flink cluster: up, submit, savepoint, stop-with-savepoint, resume, status, down "
                        + "(bin/attention cluster --help).")
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("cluster: run it with the script: bin/attention cluster --help");
        return 2;
    }
}
