package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.instant;
import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;
import org.attentionanalytics.avro.Weekday;
import org.attentionanalytics.avro.internal.BlockSpec;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of {@code focus-blocks} (DESIGN.md section 13): a {@link FocusBlocks} record becomes a
 * FOCUS_BLOCKS event with {@code event_time} = {@code updated_at}, the zone and the blocks as
 * {@link BlockSpec}s checked by {@link FocusBlockChecks}.
 *
 * <p>Dead letters, in order: {@code FIELD_TOO_LARGE} (user id, zone, a name or category list, more
 * than {@value FocusBlockChecks#MAX_BLOCKS} blocks), {@code MISSING_FIELD} (empty user id; in JSON
 * no {@code user_id} or {@code updated_at}), {@code FUTURE_TIMESTAMP} and {@code TOO_LATE} ({@code
 * updated_at}), {@code INVALID_TIME_ZONE}, and {@code INVALID_FOCUS_BLOCK} for a block that is
 * neither one-off nor weekly, ends at or before its start, overlaps another, names an unknown
 * category or has a cadence out of range.
 */
public final class FocusBlockMapper implements RecordMapper<FocusBlocks> {
    private static final long serialVersionUID = 1L;

    private final List<String> categories;

    /** @param categories the category rules' categories: a block may only name these */
    public FocusBlockMapper(List<String> categories) {
        this.categories = List.copyOf(categories);
    }

    @Override
    public Class<FocusBlocks> type() {
        return FocusBlocks.class;
    }

    @Override
    public SourceRecord map(FocusBlocks r, DoorRecord<FocusBlocks> in) {
        DoorLimits limits = in.limits();
        String tooLarge =
                DoorLimits.first(limits.id("user_id", r.getUserId()), limits.string("time_zone", r.getTimeZone()));
        if (tooLarge == null && r.getBlocks().size() > FocusBlockChecks.MAX_BLOCKS) {
            tooLarge = "blocks has " + r.getBlocks().size() + " entries > " + FocusBlockChecks.MAX_BLOCKS;
        }
        for (int i = 0; tooLarge == null && i < r.getBlocks().size(); i++) {
            FocusBlock b = r.getBlocks().get(i);
            tooLarge = DoorLimits.first(
                    limits.id("blocks[" + i + "].name", b.getName()),
                    limits.topics("blocks[" + i + "].focus_categories", b.getFocusCategories()));
        }
        SourceRecord rejected = in.checkUser(r.getUserId(), tooLarge);
        if (rejected != null) {
            return rejected;
        }
        String user = in.pseudonym(r.getUserId());
        rejected = in.checkTime(user, "updated_at", r.getUpdatedAt());
        if (rejected == null) {
            rejected = in.checkZone(user, r.getTimeZone());
        }
        if (rejected != null) {
            return rejected;
        }
        FocusBlockChecks.Result checked = FocusBlockChecks.check(r, categories, in.redact());
        if (checked.problem() != null) {
            return in.dead(user, DeadLetterReason.INVALID_FOCUS_BLOCK, checked.problem());
        }
        long at = r.getUpdatedAt().toEpochMilli();
        return in.accept(in.event(EventKind.FOCUS_BLOCKS)
                .setEventId("focus-blocks:" + FocusBlockChecks.recordId(user, r.getTimeZone(), checked.blocks(), at))
                .setUser(user)
                .setEventTime(at)
                .setTimeZone(r.getTimeZone())
                .setFocusBlocks(checked.blocks())
                .build());
    }

    /** With user_id emptied, and names, categories and the zone kept only where they look like names. */
    @Override
    public FocusBlocks redacted(FocusBlocks r, Pseudonymizer ids) {
        List<FocusBlock> blocks = new ArrayList<>();
        for (FocusBlock b : r.getBlocks()) {
            String name = DeadLetters.safeOrNull(b.getName());
            blocks.add(FocusBlock.newBuilder(b)
                    .setName(name == null ? "" : name)
                    .setFocusCategories(b.getFocusCategories().stream()
                            .filter(c -> DeadLetters.safeOrNull(c) != null)
                            .toList())
                    .build());
        }
        return FocusBlocks.newBuilder(r)
                .setUserId("")
                .setTimeZone(DeadLetters.safeOrNull(r.getTimeZone()))
                .setBlocks(blocks)
                .build();
    }

    @Override
    public FocusBlocks fromJson(JsonNode n, boolean redact) throws DoorJson.MissingFieldException {
        DoorJson.requireObject(n);
        String userId = text(n, "user_id");
        Instant at = instant(n, "updated_at");
        if (userId == null || at == null) {
            throw new DoorJson.MissingFieldException("user_id and updated_at are required");
        }
        List<FocusBlock> blocks = new ArrayList<>();
        JsonNode list = n.get("blocks");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new DoorJson.BadShapeException("blocks is not an array");
            }
            for (JsonNode b : list) {
                blocks.add(block(b, "blocks[" + blocks.size() + "]"));
            }
        }
        return FocusBlocks.newBuilder()
                .setUserId(userId)
                .setTimeZone(text(n, "time_zone"))
                .setBlocks(blocks)
                .setUpdatedAt(at)
                .build();
    }

    private static FocusBlock block(JsonNode b, String where) throws DoorJson.MissingFieldException {
        if (!b.isObject()) {
            throw new DoorJson.BadShapeException(where + " is not an object");
        }
        String name = text(b, "name");
        if (name == null) {
            throw new DoorJson.MissingFieldException(where + ".name is required");
        }
        List<Weekday> days = new ArrayList<>();
        for (String d : DoorJson.textList(b, "days")) {
            try {
                days.add(Weekday.valueOf(d.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new DoorJson.BadShapeException(where + ".days holds a value that is not a weekday (MONDAY...)");
            }
        }
        PomodoroCadence cadence = null;
        JsonNode p = b.get("pomodoro");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                throw new DoorJson.BadShapeException(where + ".pomodoro is not an object");
            }
            PomodoroCadence.Builder c = PomodoroCadence.newBuilder();
            Long v;
            if ((v = DoorJson.wholeNumber(p, "work_minutes")) != null) {
                c.setWorkMinutes(clamp(v));
            }
            if ((v = DoorJson.wholeNumber(p, "short_break_minutes")) != null) {
                c.setShortBreakMinutes(clamp(v));
            }
            if ((v = DoorJson.wholeNumber(p, "long_break_minutes")) != null) {
                c.setLongBreakMinutes(clamp(v));
            }
            if ((v = DoorJson.wholeNumber(p, "cycles")) != null) {
                c.setCycles(clamp(v));
            }
            cadence = c.build();
        }
        return FocusBlock.newBuilder()
                .setName(name)
                .setStart(instant(b, "start"))
                .setEnd(instant(b, "end"))
                .setDays(days)
                .setLocalStart(text(b, "local_start"))
                .setLocalEnd(text(b, "local_end"))
                .setFocusCategories(DoorJson.textList(b, "focus_categories"))
                .setPomodoro(cadence)
                .build();
    }

    /** Out-of-range values stay out of range (the checks refuse them), without overflowing an int. */
    private static int clamp(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
