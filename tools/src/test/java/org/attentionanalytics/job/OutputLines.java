package org.attentionanalytics.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the bounded run's output files (DESIGN.md section 11) in the Kafka tests. */
final class OutputLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputLines() {}

    /** The records of an output file, in file order (blank lines skipped). */
    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** The latest record per value of {@code field} (an upsert topic's view), in order of first appearance. */
    static Map<String, JsonNode> latest(List<JsonNode> records, String field) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode r : records) {
            out.put(r.get(field).asText(), r);
        }
        return out;
    }

    /** {@link #latest} of an output file. */
    static Map<String, JsonNode> latest(Path file, String field) throws IOException {
        return latest(read(file), field);
    }
}
