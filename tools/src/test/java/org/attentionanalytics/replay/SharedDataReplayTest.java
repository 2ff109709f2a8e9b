package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.junit.jupiter.api.Test;

/**
 * Reads the real public samples in {@code shared/data} (system property {@code
 * attention.sharedData}, default {@code ../shared/data}; skipped when absent). The expected numbers
 * were computed independently with Python's csv module, e.g. for history:
 *
 * <pre>
 * h = list(csv.DictReader(open('ebnerd/history_flat.csv')))
 * len(h)                                                   # 8303
 * sum(int(r['read_time_s']) for r in h)                    # 348916
 * sum(1 for r in h if r['read_time_s'] == '0')             # 509
 * sum(1 for r in h if r['scroll_percentage'] == '')        # 1280
 * sum(int(r['scroll_percentage']) for r in h if r['scroll_percentage'])  # 456885 (all whole numbers)
 * len(set(r['user_id'] for r in h))                        # 44
 * min(impression_time), max(impression_time + read_time_s) # 2023-02-02 07:00:31, 2023-02-23 06:36:03
 * </pre>
 *
 * behaviors: 1046 rows, 740 with empty article_id, 1047 ids in article_ids_clicked, read_time_s sum
 * 45716; rees46: 5019 rows: view 4915, cart 50, purchase 54; 1575 with empty category_code; 1755
 * users; event_time from 00:00:00 to 02:28:17 UTC; 3 rows are exact duplicates of others.
 */
class SharedDataReplayTest {

    static Path sharedData(String file) {
        Path p = Path.of(System.getProperty("attention.sharedData", "../../shared/data"))
                .resolve(file);
        assumeTrue(
                Files.isRegularFile(p),
                "shared data not found: " + p.toAbsolutePath() + " (set -Dattention.sharedData=/path/to/shared/data)");
        return p;
    }

    static DatasetReader.Result read(String kind, String file) throws Exception {
        return DatasetReader.read(ReplayOptions.parse("--dataset", kind + ":" + sharedData(file)));
    }

    static void assertSortedAndUniqueIds(DatasetReader.Result r) {
        assertThat(r.events()).extracting(ReplayEvent::eventTime).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(r.events().stream().map(ReplayEvent::eventId).distinct().count())
                .isEqualTo(r.events().size());
    }

    @Test
    void ebnerdHistory() throws Exception {
        DatasetReader.Result r = read("ebnerd-history", "ebnerd/history_flat.csv");

        assertThat(r.rows()).isEqualTo(8_303);
        assertThat(r.skippedRows()).isZero();
        assertThat(r.clicks()).isEqualTo(8_303);
        assertThat(r.dwells()).isEqualTo(8_303);
        List<DwellEvent> dwells = r.events().stream()
                .filter(ReplayEvent::isDwell)
                .map(ReplayEvent::dwell)
                .toList();
        assertThat(dwells.stream().mapToLong(DwellEvent::getDwellMs).sum()).isEqualTo(348_916_000L);
        assertThat(dwells.stream().filter(d -> d.getDwellMs() == 0).count()).isEqualTo(509);
        assertThat(dwells.stream().filter(d -> d.getScrollDepthPct() == null).count())
                .isEqualTo(1_280);
        assertThat(dwells.stream()
                        .map(DwellEvent::getScrollDepthPct)
                        .filter(Objects::nonNull)
                        .mapToLong(Integer::longValue)
                        .sum())
                .isEqualTo(456_885);
        assertThat(r.events().stream().map(ReplayEvent::userId).distinct().count())
                .isEqualTo(44);
        assertThat(r.events().get(0).eventTime()).isEqualTo(Instant.parse("2023-02-02T07:00:31Z"));
        assertThat(r.events().get(r.events().size() - 1).eventTime()).isEqualTo(Instant.parse("2023-02-23T06:36:03Z"));
        assertSortedAndUniqueIds(r);
    }

    @Test
    void ebnerdBehaviors() throws Exception {
        DatasetReader.Result r = read("ebnerd-behaviors", "ebnerd/behaviors_flat.csv");

        assertThat(r.skippedRows()).isZero();
        Map<EventType, Long> types = r.events().stream()
                .filter(e -> !e.isDwell())
                .collect(Collectors.groupingBy(e -> e.click().getEventType(), Collectors.counting()));
        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of(EventType.VIEW, 1_046L, EventType.CLICK, 1_047L));
        assertThat(r.events().stream()
                        .filter(e ->
                                !e.isDwell() && "frontpage".equals(e.click().getItemId()))
                        .count())
                .isEqualTo(740);
        assertThat(r.events().stream()
                        .filter(ReplayEvent::isDwell)
                        .mapToLong(e -> e.dwell().getDwellMs())
                        .sum())
                .isEqualTo(45_716_000L);
        assertSortedAndUniqueIds(r);
    }

    @Test
    void rees46() throws Exception {
        DatasetReader.Result r = read("rees46", "rees46/2019-Oct-head.csv");

        assertThat(r.skippedRows()).isZero();
        assertThat(r.dwells()).isZero();
        List<ClickEvent> clicks = r.events().stream().map(ReplayEvent::click).toList();
        assertThat(clicks).hasSize(5_019);
        assertThat(clicks.stream().collect(Collectors.groupingBy(ClickEvent::getEventType, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(EventType.VIEW, 4_915L, EventType.ADD_TO_CART, 50L, EventType.PURCHASE, 54L));
        assertThat(clicks.stream()
                        .filter(c -> c.getTopics().get(0).startsWith("category:"))
                        .count())
                .isEqualTo(1_575);
        assertThat(clicks.stream().map(ClickEvent::getUserId).distinct().count())
                .isEqualTo(1_755);
        assertThat(clicks.get(0).getEventTime()).isEqualTo(Instant.parse("2019-10-01T00:00:00Z"));
        assertThat(clicks.get(clicks.size() - 1).getEventTime()).isEqualTo(Instant.parse("2019-10-01T02:28:17Z"));
        // the 3 duplicate rows stay separate events with their own ids
        assertSortedAndUniqueIds(r);
    }
}
