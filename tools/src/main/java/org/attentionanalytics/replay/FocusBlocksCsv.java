package org.attentionanalytics.replay;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;

/**
 * Reads the replay's {@code --focus-blocks csv:PATH} into {@link FocusBlocks} records (DESIGN.md
 * section 13), on the rules of {@link ControlCsv}: UTF-8, comma-separated, a header row naming the
 * columns (any order and case; others ignored), and a bad row is an {@link
 * IllegalArgumentException} naming file and line ({@code blocks.csv line 3: ...}).
 *
 * <p>Columns: {@code user_id} and {@code name} (required); {@code start}, {@code end} (a one-off
 * block, times as {@link ControlCsv#time}), {@code days} ({@code MON+TUE}), {@code local_start},
 * {@code local_end} ({@code HH:mm}: a weekly block), {@code focus_categories} ({@code a+b}), {@code
 * pomodoro} ({@code 25/5/15/4}, empty: none), {@code time_zone}, {@code updated_at} (optional). One
 * row per block; all rows of a user make one record, blocks in file order.
 */
public final class FocusBlocksCsv {
    private static final List<String> REQUIRED = List.of("user_id", "name");
    private static final List<String> BLOCK_COLUMNS =
            List.of("start", "end", "days", "local_start", "local_end", "focus_categories", "pomodoro");
    private static final FocusBlockFields.Names NAMES =
            new FocusBlockFields.Names("start", "end", "days", "local_start and local_end");

    private FocusBlocksCsv() {}

    /**
     * Reads a focus-blocks file. All rows of a user, wherever they are in the file, make one record,
     * in order of the user's first row, and agree on {@code time_zone} and {@code updated_at}. An
     * empty {@code time_zone} is null (the user's zone); an empty or missing {@code updated_at} is
     * {@code defaultUpdatedAt}. A row with an empty {@code name} and no block column set gives no
     * block: a user with only such rows gets a record without blocks (it clears the user's blocks).
     *
     * @param defaultUpdatedAt the time of records without {@code updated_at} (the replay passes the
     *     dataset's first event time, so the blocks govern the whole replay), or null: then every row
     *     needs one
     * @return one record per user
     * @throws IOException when the file cannot be read or is not valid CSV
     * @throws IllegalArgumentException for a missing column, an empty user id, an invalid field
     *     ({@link FocusBlockFields}), a block that is neither one-off nor weekly, or both, an end not
     *     after its start, equal local start and end, a name twice for a user, or rows of one user
     *     that disagree on {@code time_zone} or {@code updated_at}
     */
    public static List<FocusBlocks> read(Path path, Instant defaultUpdatedAt) throws IOException {
        String file = path.getFileName().toString();
        Map<String, FocusBlocks.Builder> users = new LinkedHashMap<>();
        Map<String, Long> lastLine = new java.util.HashMap<>();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                CSVParser parser = ControlCsv.parser(in)) {
            List<String> optional = new ArrayList<>(BLOCK_COLUMNS);
            optional.addAll(List.of("time_zone", "updated_at"));
            ControlCsv.Columns cols = new ControlCsv.Columns(file, parser.getHeaderNames(), REQUIRED, optional);
            for (CSVRecord row : parser) {
                try {
                    String user = cols.get(row, "user_id");
                    if (user.isEmpty()) {
                        throw new IllegalArgumentException("empty user_id");
                    }
                    String zoneText = cols.get(row, "time_zone");
                    String zone = zoneText.isEmpty() ? null : ControlCsv.zone(zoneText);
                    String updatedText = cols.get(row, "updated_at");
                    Instant updated = updatedText.isEmpty() ? defaultUpdatedAt : ControlCsv.time(updatedText);
                    if (updated == null) {
                        throw new IllegalArgumentException(
                                "no updated_at, and no --dataset whose first event time could stand in");
                    }
                    FocusBlock block = block(row, cols);
                    lastLine.put(user, row.getRecordNumber() + 1);
                    FocusBlocks.Builder b = users.get(user);
                    if (b == null) {
                        b = FocusBlocks.newBuilder()
                                .setUserId(user)
                                .setTimeZone(zone)
                                .setUpdatedAt(updated)
                                .setBlocks(new ArrayList<>());
                        users.put(user, b);
                    } else {
                        agree("time_zone", b.getTimeZone(), zone, user);
                        agree("updated_at", b.getUpdatedAt(), updated, user);
                    }
                    if (block != null) {
                        if (b.getBlocks().stream().anyMatch(x -> x.getName().equals(block.getName()))) {
                            throw new IllegalArgumentException(
                                    "block '" + block.getName() + "' twice for user " + user);
                        }
                        b.getBlocks().add(block);
                    }
                } catch (IllegalArgumentException | DateTimeException e) {
                    throw new IllegalArgumentException(
                            file + " line " + (row.getRecordNumber() + 1) + ": " + e.getMessage(), e);
                }
            }
        } catch (UncheckedIOException | CharacterCodingException | NoSuchFileException e) {
            throw ControlCsv.notCsv(path, e);
        }
        List<FocusBlocks> out = new ArrayList<>(users.size());
        for (Map.Entry<String, FocusBlocks.Builder> u : users.entrySet()) {
            try {
                out.add(FocusBlockFields.checkRecord(u.getValue().build()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        file + " line " + lastLine.get(u.getKey()) + ": user " + u.getKey() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The row's block, or null for a row with neither name nor block columns. */
    private static FocusBlock block(CSVRecord row, ControlCsv.Columns cols) {
        String name = cols.get(row, "name");
        if (name.isEmpty()) {
            List<String> set = BLOCK_COLUMNS.stream()
                    .filter(c -> !cols.get(row, c).isEmpty())
                    .toList();
            if (!set.isEmpty()) {
                throw new IllegalArgumentException("empty name for a block with " + set);
            }
            return null;
        }
        String start = cols.get(row, "start");
        String end = cols.get(row, "end");
        String days = cols.get(row, "days");
        String localStart = cols.get(row, "local_start");
        String localEnd = cols.get(row, "local_end");
        String pomodoro = cols.get(row, "pomodoro");
        String where = "block '" + name + "': ";
        try {
            return FocusBlockFields.check(
                    FocusBlock.newBuilder()
                            .setName(name)
                            .setStart(start.isEmpty() ? null : ControlCsv.time(start))
                            .setEnd(end.isEmpty() ? null : ControlCsv.time(end))
                            .setDays(days.isEmpty() ? List.of() : FocusBlockFields.days(days))
                            .setLocalStart(
                                    localStart.isEmpty() ? null : FocusBlockFields.localTime("local_start", localStart))
                            .setLocalEnd(localEnd.isEmpty() ? null : FocusBlockFields.localTime("local_end", localEnd))
                            .setFocusCategories(FocusBlockFields.categories(cols.get(row, "focus_categories")))
                            .setPomodoro(pomodoro.isEmpty() ? null : FocusBlockFields.pomodoro(pomodoro))
                            .build(),
                    NAMES);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    e.getMessage().startsWith("block '") ? e.getMessage() : where + e.getMessage(), e);
        }
    }

    private static void agree(String field, Object first, Object now, String user) {
        if (!Objects.equals(first, now)) {
            throw new IllegalArgumentException(field + " " + now + " differs from " + first
                    + " on an earlier row of user " + user
                    + " (one record per user: every row of a user has the same time_zone and updated_at)");
        }
    }
}
