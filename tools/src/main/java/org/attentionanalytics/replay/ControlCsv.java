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
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ErasureRequest;

/**
 * Reads the control CSVs of the replay: {@code --budgets csv:PATH} into {@link AttentionBudget}s
 * and {@code --erasures csv:PATH} into {@link ErasureRequest}s (DESIGN.md sections 2 and 9);
 * {@code --focus-blocks csv:PATH} is {@link FocusBlocksCsv}, on the same rules.
 *
 * <p>Both are UTF-8, comma-separated, with a header row naming the columns (any order and case;
 * other columns are ignored). Unlike dataset rows, a bad row is not skipped: these files are
 * written by hand for a test or a demo, so any problem is an {@link IllegalArgumentException}
 * naming the file and the line ({@code budgets.csv line 4: ...}; the header is line 1, and a line
 * is one record: quoted values with line breaks are not counted).
 *
 * <p>Times ({@code updated_at}, {@code time}): epoch milliseconds (digits only), or ISO-8601 with
 * {@code Z} or an offset, or ISO-8601 without zone read as UTC ({@code 2025-03-30T08:00:00}).
 */
public final class ControlCsv {
    private ControlCsv() {}

    /**
     * Reads a budgets file: columns {@code user_id}, {@code time_zone}, {@code category}, {@code
     * minutes} (required) and {@code updated_at}, {@code alerts_enabled} (optional). One row per
     * category; all rows of a user, wherever they are in the file, make one budget, in order of the
     * user's first row. An empty {@code time_zone} is null (the job then takes the events' zone);
     * {@code minutes} is a whole number {@code >= 0}; a row with both {@code category} and {@code
     * minutes} empty sets only the zone and the opt-out; {@code alerts_enabled} is {@code true} or
     * {@code false}, default true; an empty or missing {@code updated_at} is {@code
     * defaultUpdatedAt}.
     *
     * @param defaultUpdatedAt the time of budgets without {@code updated_at} (the replay passes the
     *     dataset's first event time, so such a budget governs the whole replay), or null: then every
     *     row needs one
     * @throws IOException when the file cannot be read or is not valid CSV
     * @throws IllegalArgumentException for a missing column, an empty user id or category, minutes
     *     that are not a whole number {@code >= 0}, an invalid zone or time, the same category twice
     *     for a user, or rows of one user that disagree on zone, {@code updated_at} or {@code
     *     alerts_enabled}
     */
    public static List<AttentionBudget> readBudgets(Path path, Instant defaultUpdatedAt) throws IOException {
        String file = path.getFileName().toString();
        Map<String, AttentionBudget.Builder> users = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                CSVParser parser = parser(in)) {
            Columns cols = new Columns(
                    file,
                    parser.getHeaderNames(),
                    List.of("user_id", "time_zone", "category", "minutes"),
                    List.of("updated_at", "alerts_enabled"));
            for (CSVRecord row : parser) {
                String where = file + " line " + (row.getRecordNumber() + 1) + ": ";
                try {
                    String user = cols.get(row, "user_id");
                    if (user.isEmpty()) {
                        throw new IllegalArgumentException("empty user_id");
                    }
                    String zoneText = cols.get(row, "time_zone");
                    String zone = zoneText.isEmpty() ? null : zone(zoneText);
                    String category = cols.get(row, "category");
                    String minutesText = cols.get(row, "minutes");
                    Long minutes = null;
                    if (!category.isEmpty() || !minutesText.isEmpty()) {
                        if (category.isEmpty()) {
                            throw new IllegalArgumentException("empty category for minutes " + minutesText);
                        }
                        minutes = minutes(minutesText);
                    }
                    String updatedText = cols.get(row, "updated_at");
                    Instant updated = updatedText.isEmpty() ? defaultUpdatedAt : time(updatedText);
                    if (updated == null) {
                        throw new IllegalArgumentException(
                                "no updated_at, and no --dataset whose first event time could stand in");
                    }
                    boolean alerts = bool(cols.get(row, "alerts_enabled"));
                    AttentionBudget.Builder b = users.get(user);
                    if (b == null) {
                        b = AttentionBudget.newBuilder()
                                .setUserId(user)
                                .setTimeZone(zone)
                                .setUpdatedAt(updated)
                                .setAlertsEnabled(alerts)
                                .setBudgets(new TreeMap<>());
                        users.put(user, b);
                    } else {
                        agree("time_zone", b.getTimeZone(), zone, user);
                        agree("updated_at", b.getUpdatedAt(), updated, user);
                        agree("alerts_enabled", b.getAlertsEnabled(), alerts, user);
                    }
                    if (minutes != null && b.getBudgets().put(category, minutes) != null) {
                        throw new IllegalArgumentException("category '" + category + "' twice for user " + user);
                    }
                } catch (IllegalArgumentException | DateTimeException e) {
                    throw new IllegalArgumentException(where + e.getMessage(), e);
                }
            }
        } catch (UncheckedIOException | CharacterCodingException | NoSuchFileException e) {
            throw notCsv(path, e);
        }
        List<AttentionBudget> out = new ArrayList<>(users.size());
        users.values().forEach(b -> out.add(b.build()));
        return out;
    }

    /**
     * Reads an erasures file: columns {@code user_id} and {@code time} (required). Each row is one
     * request at that time; its {@code request_id} is {@code <file name>:<row>:erasure} with row the
     * 1-based data row (as the replay's event ids): the same file gives the same ids on every replay,
     * and the id says nothing about the user (a hash of user id and time would: it can be reversed
     * by trying the ids of a dataset, and request ids are written to {@code privacy-audit} next to
     * the pseudonym).
     *
     * @return the requests sorted by time; ties keep file order
     * @throws IOException when the file cannot be read or is not valid CSV
     * @throws IllegalArgumentException for a missing column, an empty user id or an invalid time
     */
    public static List<ErasureRequest> readErasures(Path path) throws IOException {
        String file = path.getFileName().toString();
        List<ErasureRequest> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                CSVParser parser = parser(in)) {
            Columns cols = new Columns(file, parser.getHeaderNames(), List.of("user_id", "time"), List.of());
            for (CSVRecord row : parser) {
                try {
                    String user = cols.get(row, "user_id");
                    if (user.isEmpty()) {
                        throw new IllegalArgumentException("empty user_id");
                    }
                    out.add(ErasureRequest.newBuilder()
                            .setRequestId(file + ":" + row.getRecordNumber() + ":erasure")
                            .setUserId(user)
                            .setRequestedAt(time(cols.get(row, "time")))
                            .build());
                } catch (IllegalArgumentException | DateTimeException e) {
                    throw new IllegalArgumentException(
                            file + " line " + (row.getRecordNumber() + 1) + ": " + e.getMessage(), e);
                }
            }
        } catch (UncheckedIOException | CharacterCodingException | NoSuchFileException e) {
            throw notCsv(path, e);
        }
        out.sort(Comparator.comparing(ErasureRequest::getRequestedAt));
        return out;
    }

    /**
     * Parses a control time: epoch milliseconds, ISO-8601 with {@code Z} or an offset, or ISO-8601
     * without zone as UTC.
     *
     * @throws IllegalArgumentException when it is none of these
     */
    public static Instant time(String text) {
        String t = text.strip();
        try {
            if (t.matches("-?\\d+")) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeException e) {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "time '" + text + "' is neither epoch milliseconds nor ISO-8601 (e.g. 2025-03-30T08:00:00Z)");
        }
    }

    /**
     * @return the IANA zone id as given
     * @throws IllegalArgumentException when it is not an IANA zone id (the job would refuse it)
     */
    static String zone(String text) {
        if (!org.attentionanalytics.io.TimeZones.isIana(text)) {
            throw new IllegalArgumentException(
                    "time_zone '" + text + "' is not an IANA zone id (e.g. Europe/Copenhagen)");
        }
        return text;
    }

    static long minutes(String text) {
        try {
            long m = Long.parseLong(text);
            if (m < 0 || m > org.attentionanalytics.io.BudgetMapper.MAX_BUDGET_MINUTES) {
                throw new NumberFormatException();
            }
            return m;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("minutes '" + text + "' is not a whole number from 0 to "
                    + org.attentionanalytics.io.BudgetMapper.MAX_BUDGET_MINUTES + " (a day)");
        }
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("alerts_enabled '" + text + "' is not true or false");
        };
    }

    private static void agree(String field, Object first, Object now, String user) {
        if (!Objects.equals(first, now)) {
            throw new IllegalArgumentException(
                    field + " " + now + " differs from " + first + " on an earlier row of user " + user
                            + " (one budget per user: every row of a user has the same time_zone, updated_at and alerts_enabled)");
        }
    }

    /**
     * What to say about a file that cannot be read as CSV: missing, not UTF-8 text, or broken CSV
     * (e.g. an unclosed quote), naming the file.
     */
    static RuntimeException notCsv(Path path, Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof NoSuchFileException) {
            return new IllegalArgumentException("cannot read " + path + ": no such file", e);
        }
        if (cause instanceof CharacterCodingException) {
            return new IllegalArgumentException(path.getFileName() + ": not UTF-8 text", e);
        }
        return new IllegalArgumentException(path.getFileName() + ": not valid CSV: " + cause.getMessage(), e);
    }

    static CSVParser parser(Reader in) throws IOException {
        return CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .get()
                .parse(in);
    }

    /** Column indexes by lower-case header name. */
    static final class Columns {
        private final Map<String, Integer> index = new LinkedHashMap<>();

        Columns(String file, List<String> header, List<String> required, List<String> optional) {
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).strip().toLowerCase(Locale.ROOT);
                if (required.contains(name) || optional.contains(name)) {
                    index.putIfAbsent(name, i);
                }
            }
            List<String> missing =
                    required.stream().filter(c -> !index.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(file + " line 1: the header needs the columns " + required
                        + (optional.isEmpty() ? "" : " (and optionally " + optional + ")") + "; missing " + missing
                        + ", got " + header);
            }
        }

        /** The stripped cell, or "" for an absent optional column or a short row. */
        String get(CSVRecord row, String column) {
            Integer i = index.get(column);
            return i == null || i >= row.size() ? "" : row.get(i).strip();
        }
    }
}
