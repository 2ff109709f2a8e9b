package org.attentionanalytics.replay;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The file formats the replay tool reads, by their name in {@code --dataset KIND:PATH}. The formats
 * are described in {@code shared/data/README.md}; all are CSV files with a header row except that
 * {@link #CSV} is configured by {@link ReplayOptions} and {@link #SNOWPLOW} is enriched TSV or a
 * warehouse CSV ({@link SnowplowRows}).
 */
public enum DatasetKind {
    /** EB-NeRD {@code history}, flattened: one article read = a VIEW plus its dwell time. */
    EBNERD_HISTORY("ebnerd-history"),
    /** EB-NeRD {@code behaviors}, flattened: one impression = a VIEW with dwell time, plus its clicks. */
    EBNERD_BEHAVIORS("ebnerd-behaviors"),
    /** REES46 e-commerce events ({@code 2019-Oct.csv} layout): views, carts, purchases; no dwell. */
    REES46("rees46"),
    /** Any delimited file, mapped by {@code --columns}, {@code --time-format} and {@code --event-types}. */
    CSV("csv"),
    /**
     * Snowplow enriched TSV, or a warehouse CSV of atomic-event columns ({@link SnowplowRows}):
     * published as enriched TSV lines to the Snowplow topic, for the job's {@code --snowplow} door.
     */
    SNOWPLOW("snowplow");

    private final String cliName;

    DatasetKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line, e.g. {@code ebnerd-history}. */
    public String cliName() {
        return cliName;
    }

    /**
     * The kind with this command-line name (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the known ones
     */
    public static DatasetKind fromCliName(String name) {
        for (DatasetKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown dataset kind '" + name + "'; known: " + names());
    }

    /** The command-line names, comma separated. */
    public static String names() {
        return Arrays.stream(values()).map(DatasetKind::cliName).collect(Collectors.joining(", "));
    }
}
