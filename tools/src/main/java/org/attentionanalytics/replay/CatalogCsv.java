package org.attentionanalytics.replay;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.attentionanalytics.avro.ContentProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a content catalog CSV ({@code --catalog csv:PATH}) into {@link ContentProfile}s.
 *
 * <p>UTF-8, comma-separated, with a header row naming the columns {@code item_id} and {@code
 * topic} (required) and {@code weight} (optional), in any order and case; other columns are
 * ignored. Each row gives one topic of one item; all rows of an item, wherever they are in the
 * file, make one profile ({@code topics} map; {@code title} and {@code updated_at} null). A missing
 * or empty weight is 1.0; the same topic twice for an item adds its weights. Rows with an empty
 * item id or topic, or a weight that is not a finite number {@code > 0}, are skipped, counted and
 * the first few logged (WARN).
 */
public final class CatalogCsv {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogCsv.class);
    private static final int LOGGED_SKIPS = 10;

    private CatalogCsv() {}

    /**
     * What a catalog file gave.
     *
     * @param profiles one per item, in order of the item's first row
     * @param rows data rows read (header not counted)
     * @param skippedRows malformed rows that gave no topic
     */
    public record Result(List<ContentProfile> profiles, long rows, long skippedRows) {}

    /**
     * Reads the whole file.
     *
     * @throws IOException when the file cannot be read or is not valid CSV
     * @throws IllegalArgumentException when the header has no {@code item_id} or no {@code topic} column
     */
    public static Result read(Path path) throws IOException {
        String fileName = path.getFileName().toString();
        Map<String, Map<String, Double>> items = new LinkedHashMap<>();
        long rows = 0;
        long skipped = 0;
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(in)) {
            int item = -1;
            int topic = -1;
            int weight = -1;
            List<String> header = parser.getHeaderNames();
            for (int i = 0; i < header.size(); i++) {
                switch (header.get(i).strip().toLowerCase(Locale.ROOT)) {
                    case "item_id" -> item = item < 0 ? i : item;
                    case "topic" -> topic = topic < 0 ? i : topic;
                    case "weight" -> weight = weight < 0 ? i : weight;
                    default -> {}
                }
            }
            if (item < 0 || topic < 0) {
                throw new IllegalArgumentException(fileName
                        + " is not a catalog: the header needs item_id and topic columns (and optionally weight), got "
                        + header);
            }
            for (CSVRecord row : parser) {
                rows++;
                try {
                    String id = cell(row, item);
                    String t = cell(row, topic);
                    if (id.isEmpty() || t.isEmpty()) {
                        throw new IllegalArgumentException("empty item_id or topic");
                    }
                    String wText = weight < 0 || weight >= row.size()
                            ? ""
                            : row.get(weight).strip();
                    double w = wText.isEmpty() ? 1.0 : Double.parseDouble(wText);
                    if (!Double.isFinite(w) || w <= 0) {
                        throw new IllegalArgumentException("weight " + wText + " is not > 0");
                    }
                    items.computeIfAbsent(id, k -> new LinkedHashMap<>()).merge(t, w, Double::sum);
                } catch (IllegalArgumentException e) {
                    skipped++;
                    if (skipped <= LOGGED_SKIPS) {
                        LOG.warn(
                                "{}: skipped malformed catalog row {}: {}",
                                fileName,
                                row.getRecordNumber(),
                                e.toString());
                    }
                }
            }
        }
        if (skipped > 0) {
            LOG.warn("{}: skipped {} malformed catalog rows of {}", fileName, skipped, rows);
        }
        List<ContentProfile> profiles = new ArrayList<>(items.size());
        items.forEach((id, topics) -> profiles.add(
                ContentProfile.newBuilder().setItemId(id).setTopics(topics).build()));
        return new Result(profiles, rows, skipped);
    }

    private static String cell(CSVRecord row, int index) {
        if (index >= row.size()) {
            throw new IllegalArgumentException("no column " + index + ": row has " + row.size());
        }
        return row.get(index).strip();
    }
}
