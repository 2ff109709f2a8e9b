package org.attentionanalytics.cli;

/**
 * A subcommand of {@code bin/attention} that lives in another module (the benchmark's {@code bench}):
 * {@link AttentionCli} finds each with {@link java.util.ServiceLoader} through a {@code
 * META-INF/services/org.attentionanalytics.cli.ExtraCommand} entry, so the tools do not depend on
 * the modules that extend them. The class carries picocli's {@code @Command}.
 */
public interface ExtraCommand {}
