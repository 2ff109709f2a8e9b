package org.attentionanalytics.interest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;

/** Builds {@link InterestVector} records from weights by topic name (the live vector, DESIGN.md section 6). */
public final class VectorRecord {
    private VectorRecord() {}

    /**
     * A vector record from weights by topic name, all at {@code asOf} : the top {@value InterestVectors#TOP} by weight (ties by name) as a unit vector, {@code norm}
     * the L2 norm of all weights.
     *
     * @return the record, or null when no weight is positive
     */
    public static InterestVector of(String user, long asOf, Map<String, Double> weights, long eventsCounted) {
        List<Map.Entry<String, Double>> ranked = new ArrayList<>();
        double sumSquares = 0;
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            if (w.getValue() > 0) {
                ranked.add(w);
                sumSquares += w.getValue() * w.getValue();
            }
        }
        if (ranked.isEmpty()) {
            return null;
        }
        ranked.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<Map.Entry<String, Double>> top = ranked.subList(0, Math.min(InterestVectors.TOP, ranked.size()));
        double topSquares = 0;
        for (Map.Entry<String, Double> w : top) {
            topSquares += w.getValue() * w.getValue();
        }
        double topNorm = Math.sqrt(topSquares);
        List<TopicWeight> pairs = new ArrayList<>(top.size());
        for (Map.Entry<String, Double> w : top) {
            pairs.add(new TopicWeight(w.getKey(), w.getValue() / topNorm));
        }
        return InterestVector.newBuilder()
                .setUser(user)
                .setAsOf(Instant.ofEpochMilli(asOf))
                .setTop(pairs)
                .setNorm(Math.sqrt(sumSquares))
                .setEventsCounted(eventsCounted)
                .build();
    }
}
