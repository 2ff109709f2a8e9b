package org.attentionanalytics.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the ground truth from a bounded run's {@code attention-page-views.jsonl} (DESIGN.md section
 * 11): every version of every view, of which the last line per {@code view_id} is the view; views
 * whose last status is SUPERSEDED (stand-ins, section 5), without {@code item_id} or deleted
 * (tombstone) are dropped.
 */
public final class PageViewsFile {
    private PageViewsFile() {}

    /**
     * @return the views in {@link View#TIME_ORDER}
     * @throws IOException if the file cannot be read or a line is not JSON or lacks {@code user},
     *     {@code session_id} or {@code start} (the message names the line)
     */
    public static List<View> read(Path file) throws IOException {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        JsonLinesFile.read(file, (number, node) -> {
            if (!node.path("_tombstone").asBoolean(false)) { // a deleted view is keyed by the user: nothing to upsert
                latest.put(text(file, number, node, "view_id"), node);
            }
        });
        List<View> views = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : latest.entrySet()) {
            JsonNode n = e.getValue();
            if ("SUPERSEDED".equals(n.path("status").asText()) || !n.hasNonNull("item_id")) {
                continue;
            }
            views.add(new View(
                    n.path("user").asText(),
                    n.path("session_id").asText(),
                    e.getKey(),
                    n.get("item_id").asText(),
                    Instant.parse(n.path("start").asText())));
        }
        views.sort(View.TIME_ORDER);
        return views;
    }

    private static String text(Path file, int number, JsonNode node, String field) throws IOException {
        for (String required : new String[] {field, "user", "session_id", "start"}) {
            if (!node.hasNonNull(required)) {
                throw new IOException(file + ":" + number + ": no " + required);
            }
        }
        return node.get(field).asText();
    }
}
