package org.attentionanalytics.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.avro.EventType;

/**
 * EB-NeRD rows ({@code history_flat.csv}, {@code behaviors_flat.csv}, see {@code
 * shared/data/README.md}). A read is a VIEW of the article at {@code impression_time} plus a
 * DwellEvent of {@code read_time_s * 1000} ms of engaged time ending at {@code impression_time +
 * read_time_s} (also for 0 s), with {@code scroll_depth_pct} = rounded {@code scroll_percentage}
 * (null when empty). A behaviors row views {@code article_id} (empty: the front page, item id
 * {@value #FRONTPAGE}) and adds a CLICK at {@code impression_time} per id in {@code
 * article_ids_clicked}. The VIEW and its DwellEvent carry the VIEW's event id as their {@code
 * view_id}: the read belongs to its own impression even when the reader saw the article again
 * before the read ended. Timestamps are naive ISO-8601 local times in {@code --time-zone}.
 */
final class EbnerdRows implements RowMapper {
    static final String FRONTPAGE = "frontpage";

    private final Events events;
    private final TimeParser time;
    private final boolean behaviors;

    private EbnerdRows(Events events, TimeParser time, boolean behaviors) {
        this.events = events;
        this.time = time;
        this.behaviors = behaviors;
    }

    static EbnerdRows history(Events events, TimeParser time) {
        return new EbnerdRows(events, time, false);
    }

    static EbnerdRows behaviors(Events events, TimeParser time) {
        return new EbnerdRows(events, time, true);
    }

    @Override
    public List<String> requiredColumns() {
        return behaviors
                ? List.of(
                        "user_id",
                        "impression_time",
                        "article_id",
                        "read_time_s",
                        "scroll_percentage",
                        "article_ids_clicked")
                : List.of("user_id", "impression_time", "article_id", "read_time_s", "scroll_percentage");
    }

    @Override
    public List<ReplayEvent> map(CSVRecord row, long rowNumber) {
        String user = row.get("user_id");
        Instant at = time.parse(row.get("impression_time"));
        String article = Events.emptyToNull(row.get("article_id"));
        if (article == null) {
            if (!behaviors) {
                throw new IllegalArgumentException("empty article_id");
            }
            article = FRONTPAGE;
        }
        long readMs = Events.secondsToMillis("read_time_s", row.get("read_time_s"));
        String scroll = Events.emptyToNull(row.get("scroll_percentage"));
        Integer scrollPct = scroll == null ? null : scrollPct(scroll);

        List<ReplayEvent> out = new ArrayList<>(3);
        ReplayEvent view = events.click(rowNumber, user, at, EventType.VIEW, article, List.of());
        String viewId = view.eventId();
        view.click().setViewId(viewId);
        out.add(view);
        if (behaviors) {
            for (String clicked : row.get("article_ids_clicked").strip().split("\\s+")) {
                if (!clicked.isEmpty()) {
                    out.add(events.click(
                            events.eventId(rowNumber, "click:" + clicked),
                            user,
                            at,
                            EventType.CLICK,
                            clicked,
                            List.of()));
                }
            }
        }
        ReplayEvent read = events.dwell(rowNumber, user, readEnd(at, readMs), article, readMs, scrollPct, List.of());
        read.dwell().setViewId(viewId);
        out.add(read);
        return out;
    }

    /** The rounded percentage; strict (see {@link CsvNumber}), within the int range. */
    private static int scrollPct(String text) {
        long pct = CsvNumber.parse("scroll_percentage", text, 1, true);
        if (pct < Integer.MIN_VALUE || pct > Integer.MAX_VALUE) {
            throw new RowSkipped(SkipReason.BAD_NUMBER, "scroll_percentage '" + text + "' is out of range");
        }
        return (int) pct;
    }

    /** {@code at + readMs}, or BAD_NUMBER naming read_time_s when beyond the range of event times. */
    private static Instant readEnd(Instant at, long readMs) {
        try {
            return Instant.ofEpochMilli(Math.addExact(at.toEpochMilli(), readMs));
        } catch (ArithmeticException e) {
            throw new RowSkipped(
                    SkipReason.BAD_NUMBER,
                    "read_time_s of " + readMs + " ms puts the read's end beyond the range of event times",
                    e);
        }
    }
}
