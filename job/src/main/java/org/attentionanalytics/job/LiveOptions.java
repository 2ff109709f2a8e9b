package org.attentionanalytics.job;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The job's options of the live topics {@code interest-vectors-live} and {@code recommendations-live}
 * (DESIGN.md sections 4, 6 and 12):
 * provisional values written at least once without waiting for the watermark. {@link JobOptions}
 * extends it.
 */
public class LiveOptions extends SessionOptions {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--live.enabled",
            defaultValue = "false",
            arity = "1",
            paramLabel = "true|false",
            description =
                    "Write live interest vectors to --topic.interest-vectors-live (and, with --recs.enabled, live "
                            + "lists to --topic.recommendations-live): provisional, at least once, without waiting for the "
                            + "watermark (off by default: it costs a state read per event, BENCHMARKS.md; bin/attention local "
                            + "turns it on). Default: ${DEFAULT-VALUE}")
    public boolean liveEnabled;

    @Option(
            names = "--live.min-interval",
            defaultValue = "1 s",
            converter = JobOptions.DurationConverter.class,
            description = "Least processing time between two live records of a user (a change held back goes out when "
                    + "it has passed); 0s: one per event; at most 1 h. Default: ${DEFAULT-VALUE}")
    public Duration liveMinInterval;

    @Option(
            names = "--live.linger",
            defaultValue = "200 ms",
            converter = JobOptions.DurationConverter.class,
            description =
                    "How long a user's first live record after a quiet --live.min-interval waits for the events "
                            + "that arrive with it (a view and its click), so they go out together instead of the second "
                            + "waiting the whole interval; capped at --live.min-interval; 0s: at once. Default: ${DEFAULT-VALUE}")
    public Duration liveLinger;

    /** @return {@link #liveLinger}, at most {@link #liveMinInterval} */
    public Duration liveLingerCapped() {
        return liveLinger.compareTo(liveMinInterval) > 0 ? liveMinInterval : liveLinger;
    }

    /** @return {@link #liveMinInterval} when live topics are written, else null */
    public Duration liveInterval() {
        return liveEnabled ? liveMinInterval : null;
    }
}
