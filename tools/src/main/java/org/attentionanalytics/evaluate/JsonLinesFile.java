package org.attentionanalytics.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a bounded run's output file (DESIGN.md section 11): one JSON object per non-blank line. */
final class JsonLinesFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is done with each line: its number (from 1) and its JSON. */
    interface LineHandler {
        void line(int number, JsonNode node) throws IOException;
    }

    private JsonLinesFile() {}

    /**
     * Calls {@code handler} for each non-blank line of {@code file}, in file order.
     *
     * @throws IOException if the file cannot be read, a line is not JSON (the message names the
     *     line), or the handler throws
     */
    static void read(Path file, LineHandler handler) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IOException(file + ":" + number + ": not a JSON line: " + e.getOriginalMessage(), e);
                }
                handler.line(number, node);
            }
        }
    }
}
