package org.attentionanalytics.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's text table, from the JSON structure {@link BenchCommand} writes. */
final class Report {
    private Report() {}

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> json) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> point : (List<Map<String, Object>>) json.get("throughput")) {
            b.append(String.format(
                    Locale.ROOT,
                    "%,d users, %,d events%n",
                    ((Number) point.get("users")).longValue(),
                    ((Number) point.get("events")).longValue()));
            b.append(String.format(
                    Locale.ROOT,
                    "| %-18s | %12s | %14s | %16s | %13s | %13s |%n",
                    "variant",
                    "events/s",
                    "checkpoint MB",
                    "state B/user",
                    "last ckpt ms",
                    "max ckpt ms"));
            b.append(
                    "|--------------------|-------------:|---------------:|-----------------:|--------------:|--------------:|\n");
            for (var e : ((Map<String, Map<String, Object>>) point.get("variants")).entrySet()) {
                Map<String, Object> v = e.getValue();
                long bytes = ((Number) v.get("last_checkpoint_bytes")).longValue();
                Object perUser = v.get("state_bytes_per_user");
                b.append(String.format(
                        Locale.ROOT,
                        "| %-18s | %12s | %14.1f | %16s | %13s | %13s |%n",
                        e.getKey(),
                        BenchCommand.fmt(((Number) v.get("events_per_s")).doubleValue()),
                        bytes / 1e6,
                        perUser == null ? "-" : BenchCommand.fmt(((Number) perUser).doubleValue()),
                        v.get("last_checkpoint_ms"),
                        v.get("max_checkpoint_ms")));
            }
            b.append(String.format(
                    Locale.ROOT,
                    "ratio_vs_sql (full/sql) = %s, ratio_vs_stateful_ceiling (full/stateful_ceiling) = %s%n%n",
                    ratio(point.get("ratio_vs_sql")),
                    ratio(point.get("ratio_vs_stateful_ceiling"))));
        }
        Map<String, Object> latency = (Map<String, Object>) json.get("latency");
        if (latency != null) {
            Map<String, Object> em = (Map<String, Object>) latency.get("emission_ms");
            Map<String, Object> vis = (Map<String, Object>) latency.get("visibility_read_committed_ms");
            b.append(String.format(
                    Locale.ROOT,
                    "Latency at %s events/s (achieved %s), out-of-orderness %s ms, checkpoints every %s ms:%n",
                    latency.get("rate_target"),
                    latency.get("rate_achieved_in_window"),
                    latency.get("out_of_orderness_ms"),
                    latency.get("checkpoint_interval_ms")));
            b.append(String.format(
                    Locale.ROOT,
                    "  append -> interest-vector emission:    p50 %s ms, p99 %s ms (%s vectors)%n",
                    em.get("p50"),
                    em.get("p99"),
                    em.get("count")));
            b.append(String.format(
                    Locale.ROOT,
                    "  append -> read_committed visibility:   p50 %s ms, p99 %s ms (%s vectors)%n",
                    vis.get("p50"),
                    vis.get("p99"),
                    vis.get("count")));
            Map<String, Object> live = (Map<String, Object>) latency.get("live_visibility_ms");
            if (live != null && latency.get("live_min_interval_ms") != null) {
                b.append(String.format(
                        Locale.ROOT,
                        "  append -> live vector visible:         p50 %s ms, p99 %s ms (%s vectors, interest-vectors-live)%n",
                        live.get("p50"),
                        live.get("p99"),
                        live.get("count")));
            }
        }
        return b.toString();
    }

    private static String ratio(Object r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2f", ((Number) r).doubleValue());
    }
}
