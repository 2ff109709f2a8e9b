package org.attentionanalytics.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's recommendation lists over time, per user, from a bounded run's {@code
 * recommendations.jsonl} (one line per record, a user's lines in the order the job wrote them):
 * which list was in force for a user just before a given instant. A record is in force from its
 * {@code as_of} until the user's next record; a tombstone ({@code "_tombstone": true}, no time of
 * its own) withdraws the list from the time of the user's record before it (from the beginning if
 * none).
 */
public final class RecommendationTimeline {

    /** A list from {@code asOf} on; {@code items} null for a tombstone. */
    private record Entry(Instant asOf, List<String> items) {}

    private final Map<String, List<Entry>> byUser;

    private RecommendationTimeline(Map<String, List<Entry>> byUser) {
        this.byUser = byUser;
    }

    /**
     * @throws IOException if the file cannot be read, or a line is not JSON or lacks {@code _key},
     *     {@code as_of} or {@code items} (the message names the line)
     */
    public static RecommendationTimeline read(Path file) throws IOException {
        Map<String, List<Entry>> byUser = new HashMap<>();
        JsonLinesFile.read(file, (number, n) -> {
            if (!n.hasNonNull("_key")) {
                throw new IOException(file + ":" + number + ": no _key");
            }
            List<Entry> entries = byUser.computeIfAbsent(n.get("_key").asText(), u -> new ArrayList<>());
            if (n.path("_tombstone").asBoolean(false)) {
                Instant from = entries.isEmpty()
                        ? Instant.MIN
                        : entries.get(entries.size() - 1).asOf();
                entries.add(new Entry(from, null));
                return;
            }
            if (!n.hasNonNull("as_of") || !n.path("items").isArray()) {
                throw new IOException(file + ":" + number + ": a record needs as_of and items");
            }
            List<String> items = new ArrayList<>();
            n.get("items").forEach(i -> items.add(i.path("item_id").asText()));
            entries.add(new Entry(Instant.parse(n.get("as_of").asText()), List.copyOf(items)));
        });
        // in force = latest as_of; equal times: the later line (a stable sort keeps the file order)
        byUser.values().forEach(entries -> entries.sort(Comparator.comparing(Entry::asOf)));
        return new RecommendationTimeline(byUser);
    }

    /**
     * The list in force for {@code user} just before {@code t}: that of the user's latest record
     * with {@code as_of} strictly before {@code t}, in rank order; null when there is none or it is
     * a tombstone.
     */
    public List<String> before(String user, Instant t) {
        List<Entry> entries = byUser.getOrDefault(user, List.of());
        // binary search for the last entry with asOf < t
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).asOf().isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? null : entries.get(lo - 1).items();
    }

    /** Records read (tombstones included). */
    public long records() {
        return byUser.values().stream().mapToLong(List::size).sum();
    }
}
