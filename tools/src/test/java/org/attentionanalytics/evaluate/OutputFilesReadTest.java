package org.attentionanalytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PageViewsFile} and {@link RecommendationTimeline} on hand-written output lines. */
class OutputFilesReadTest {
    @TempDir
    Path dir;

    @Test
    void pageViewsKeepTheLastVersionWithoutStandInsOrItemlessViews() throws IOException {
        Path file = Files.writeString(dir.resolve("attention-page-views.jsonl"), """
                {"_key":"u1","view_id":"v2","session_id":"s1","user":"u1","item_id":"b","start":"2024-01-01T10:01:00.000Z","status":"OPEN"}
                {"_key":"u1","view_id":"v1","session_id":"s1","user":"u1","item_id":"a","start":"2024-01-01T10:00:00.000Z","status":"OPEN"}
                {"_key":"u1","view_id":"v3","session_id":"s1","user":"u1","item_id":"c","start":"2024-01-01T10:02:00.000Z","status":"OPEN"}
                {"_key":"u1","view_id":"v3","session_id":"s1","user":"u1","item_id":"c","start":"2024-01-01T10:02:00.000Z","status":"SUPERSEDED"}
                {"_key":"u1","view_id":"v4","session_id":"s1","user":"u1","item_id":null,"start":"2024-01-01T10:03:00.000Z","status":"CLOSED"}
                {"_key":"u0","view_id":"v9","session_id":"s0","user":"u0","item_id":"z","start":"2024-01-01T10:01:00.000Z","status":"CLOSED"}
                {"_key":"u1","view_id":"v1","session_id":"s2","user":"u1","item_id":"a","start":"2024-01-01T10:00:00.000Z","status":"CLOSED"}
                {"_key":"u1","_tombstone":true}
                """);
        // v1's last version (session s2), v2, v9 (u0 before u1 at 10:01); v3 superseded, v4 without item
        assertThat(PageViewsFile.read(file))
                .containsExactly(
                        new View("u1", "s2", "v1", "a", Instant.parse("2024-01-01T10:00:00Z")),
                        new View("u0", "s0", "v9", "z", Instant.parse("2024-01-01T10:01:00Z")),
                        new View("u1", "s1", "v2", "b", Instant.parse("2024-01-01T10:01:00Z")));
    }

    @Test
    void aBadLineIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("v.jsonl"), "{\"view_id\":\"v1\"}\n");
        assertThatThrownBy(() -> PageViewsFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith(":1: no user");
        Path recs = Files.writeString(dir.resolve("r.jsonl"), "{\"_key\":\"u1\"}\nnot json\n");
        assertThatThrownBy(() -> RecommendationTimeline.read(recs))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("r.jsonl:1: a record needs as_of and items");
    }

    @Test
    void theListInForceIsTheLatestStrictlyBeforeUntilATombstone() throws IOException {
        Path file = Files.writeString(dir.resolve("recommendations.jsonl"), """
                {"_key":"u1","user":"u1","as_of":"2024-01-01T10:00:00.000Z","mode":"NORMAL","items":[{"item_id":"a","score":1.0,"reason":"POPULAR"},{"item_id":"b","score":0.5,"reason":"POPULAR"}]}
                {"_key":"u2","user":"u2","as_of":"2024-01-01T10:00:00.000Z","mode":"NORMAL","items":[{"item_id":"d","score":1.0,"reason":"POPULAR"}]}
                {"_key":"u1","user":"u1","as_of":"2024-01-01T10:05:00.000Z","mode":"NORMAL","items":[{"item_id":"c","score":0.9,"reason":"SIMILAR_TO_RECENT"}]}
                {"_key":"u1","_tombstone":true}
                {"_key":"u1","user":"u1","as_of":"2024-01-01T10:20:00.000Z","mode":"NORMAL","items":[{"item_id":"e","score":0.9,"reason":"SIMILAR_TO_RECENT"}]}
                """);
        RecommendationTimeline recs = RecommendationTimeline.read(file);
        assertThat(recs.records()).isEqualTo(5);
        // strictly before: not at 10:00 itself
        assertThat(recs.before("u1", Instant.parse("2024-01-01T10:00:00Z"))).isNull();
        assertThat(recs.before("u1", Instant.parse("2024-01-01T10:00:00.001Z"))).containsExactly("a", "b");
        assertThat(recs.before("u1", Instant.parse("2024-01-01T10:05:00Z"))).containsExactly("a", "b");
        // the tombstone withdraws [c] from 10:05 on (it follows it), until the record of 10:20
        assertThat(recs.before("u1", Instant.parse("2024-01-01T10:05:00.001Z"))).isNull();
        assertThat(recs.before("u1", Instant.parse("2024-01-01T10:20:00.001Z"))).containsExactly("e");
        assertThat(recs.before("u2", Instant.parse("2024-01-01T11:00:00Z"))).containsExactly("d");
        assertThat(recs.before("u3", Instant.parse("2024-01-01T11:00:00Z"))).isNull();
    }
}
