package org.attentionanalytics.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rows of one dataset file that gave no event: how many per {@link SkipReason}, and the first
 * few ({@value #EXAMPLES}) with their row number and what was wrong, for the message that rejects
 * the file. Filled by {@link DatasetReader}; judged by {@link #check}.
 */
public final class SkippedRows {
    /** How many skipped rows are kept for messages. */
    static final int EXAMPLES = 5;

    private final Map<SkipReason, Long> byReason = new EnumMap<>(SkipReason.class);
    private final List<String> examples = new ArrayList<>();

    /** Counts a skipped row. @param row 1-based data row */
    void add(long row, SkipReason reason, String message) {
        byReason.merge(reason, 1L, Long::sum);
        if (examples.size() < EXAMPLES) {
            examples.add("row " + row + ": " + reason.label() + ": " + message);
        }
    }

    /** Skipped rows in all. */
    public long total() {
        return byReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Skipped rows per reason, every reason (zeros included) in declaration order. */
    public Map<SkipReason, Long> byReason() {
        Map<SkipReason, Long> all = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            all.put(r, byReason.getOrDefault(r, 0L));
        }
        return Collections.unmodifiableMap(all);
    }

    /** The first few skipped rows, e.g. {@code row 3: bad_time: ...}. */
    public List<String> examples() {
        return List.copyOf(examples);
    }

    /** The non-zero reasons, e.g. {@code no_user 1, bad_time 2}; empty when none was skipped. */
    public String describe() {
        return byReason.entrySet().stream()
                .map(e -> e.getKey().label() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * Accepts a read file, or rejects it: when more rows were skipped than {@code maxSkipped}
     * allows, or when it gave no event at all.
     *
     * @param fileName for the message
     * @param rows data rows read
     * @param events events the rows gave
     * @throws RejectedDatasetException naming the file, the counts and the first skipped rows
     */
    void check(String fileName, long rows, long events, long maxSkipped) {
        long skipped = total();
        if (skipped > maxSkipped) {
            throw new RejectedDatasetException(String.format(
                    Locale.ROOT,
                    "%s: %d of %d rows skipped (%s), more than --max-skipped %d allows; nothing was published. First "
                            + "skipped rows: %s",
                    fileName,
                    skipped,
                    rows,
                    describe(),
                    maxSkipped,
                    String.join("; ", examples)));
        }
        if (events == 0) {
            throw new RejectedDatasetException(String.format(
                    Locale.ROOT,
                    "%s: no event in %d rows%s",
                    fileName,
                    rows,
                    skipped == 0
                            ? ""
                            : " (" + skipped + " skipped: " + describe() + "; first: " + String.join("; ", examples)
                                    + ")"));
        }
    }

    /** A dataset file the replay refuses to publish: too many skipped rows, or no event. */
    public static final class RejectedDatasetException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RejectedDatasetException(String message) {
            super(message);
        }
    }
}
