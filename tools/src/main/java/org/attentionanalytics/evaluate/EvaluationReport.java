package org.attentionanalytics.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation's output: a table for people ({@link #table}) and the same as JSON ({@link
 * #write}): one row per recommender (job; each of its sources alone, when it blends several;
 * item-kNN (exact); popularity) with recall@20, MRR@20,
 * their new-item forms, the views scored and the coverage; then the state bytes per key.
 */
public final class EvaluationReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Evaluation.Result result;
    private final StateBytes state;
    private final String dataset;

    /**
     * @param dataset what was evaluated, e.g. {@code ebnerd-history:history_flat.csv}
     */
    public EvaluationReport(String dataset, Evaluation.Result result, StateBytes state) {
        this.dataset = dataset;
        this.result = result;
        this.state = state;
    }

    private List<Map.Entry<String, RankingScore.Figures>> rows() {
        List<Map.Entry<String, RankingScore.Figures>> rows = new ArrayList<>();
        rows.add(Map.entry("job", result.job()));
        result.sources().forEach((source, figures) -> rows.add(Map.entry("job: " + source + " alone", figures)));
        rows.add(Map.entry("item-kNN (exact)", result.itemKnn()));
        rows.add(Map.entry("popularity", result.popularity()));
        return rows;
    }

    /** @return the first column's width: 17, or the longest name */
    private int width() {
        return Math.max(
                17, rows().stream().mapToInt(r -> r.getKey().length()).max().orElse(0));
    }

    /** The table and the state bytes line, each line ending with a line separator. */
    public String table() {
        int k = Evaluation.K;
        StringBuilder t = new StringBuilder();
        t.append(String.format(
                "%-" + width() + "s %10s %8s %14s %12s %22s %9s%n",
                "",
                "recall@" + k,
                "MRR@" + k,
                "new recall@" + k,
                "new MRR@" + k,
                "views scored (new)",
                "coverage"));
        for (Map.Entry<String, RankingScore.Figures> row : rows()) {
            RankingScore.Figures f = row.getValue();
            t.append(String.format(
                    "%-" + width() + "s %10.4f %8.4f %14.4f %12.4f %22s %8.1f%%%n",
                    row.getKey(),
                    f.recall(),
                    f.mrr(),
                    f.newItemRecall(),
                    f.newItemMrr(),
                    String.format("%,d (%,d)", f.viewsScored(), f.newItemViewsScored()),
                    100 * f.coverage()));
        }
        t.append(
                String.format("%,d views of %,d items by %,d users%n", result.views(), result.items(), result.users()));
        t.append(state.line(result.items(), result.users())).append(System.lineSeparator());
        return t.toString();
    }

    /** The report as a JSON tree (maps and lists). */
    public Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", dataset);
        root.put("k", Evaluation.K);
        root.put("views", result.views());
        root.put("users", result.users());
        root.put("items", result.items());
        List<Map<String, Object>> rows = rows().stream()
                .map(r -> {
                    RankingScore.Figures f = r.getValue();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", r.getKey());
                    m.put("recall_at_20", f.recall());
                    m.put("mrr_at_20", f.mrr());
                    m.put("new_item_recall_at_20", f.newItemRecall());
                    m.put("new_item_mrr_at_20", f.newItemMrr());
                    m.put("views_scored", f.viewsScored());
                    m.put("new_item_views_scored", f.newItemViewsScored());
                    m.put("coverage", f.coverage());
                    return m;
                })
                .toList();
        root.put("rows", rows);
        Map<String, Object> stateJson = new LinkedHashMap<>();
        stateJson.put("unavailable", state.unavailable());
        stateJson.put("operators", state.perKey(result.items(), result.users()));
        root.put("state_bytes", stateJson);
        return root;
    }

    /**
     * Writes {@link #json} to {@code file} (parent directories created).
     *
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), json());
    }
}
