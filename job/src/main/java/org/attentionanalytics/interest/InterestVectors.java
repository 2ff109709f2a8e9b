package org.attentionanalytics.interest;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.TopicWeight;
import org.attentionanalytics.avro.internal.InterestState;
import org.attentionanalytics.avro.internal.UserState;

/**
 * The per-user interest vector of DESIGN.md section 6, kept in {@link UserState#getInterest()}:
 * a sparse map topic -> weight decayed in event time with half-life H, the weight at time t being
 * the sum over signals of {@code s * 2^(-(t - t_e) / H)}. Weights are stored against a per-user
 * reference time R as {@code sum of s * 2^((t_e - R) / H)}, so adding a signal is one
 * multiply-add whatever the order of arrival (a late signal adds exactly its decayed value) and
 * nothing under- or overflows over years (R moves forward when the exponent passes 32).
 *
 * <p>Signals: a ClickEvent adds its type weight ({@link #clickSignal}); dwell adds {@code log2(1 +
 * E2/10) - log2(1 + E1/10)} when it raises the engaged seconds E of its view from E1 to E2 ({@link
 * #dwellSignal}; Yi et al., RecSys 2014). A signal is shared by the topics of its item in
 * proportion to their catalog weights, or equally for inline topics. At most {@value #MAX_TOPICS}
 * topics are kept: adding one more drops the smallest.
 *
 * <p>Emission ({@link #onEvent}, {@link #onSessionClosed}): the top {@value #TOP} topics as a unit
 * vector, when it moved by cosine distance above {@value #MIN_COSINE_DISTANCE} since the last
 * emission, at most once per event-time minute (a held change goes out with the next event in a
 * later minute, or at session close), and always when a session closes.
 */
public final class InterestVectors implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Topics kept per user. */
    public static final int MAX_TOPICS = 200;
    /** Topics in an emitted vector. */
    public static final int TOP = 20;
    /** Cosine distance of the top vector that counts as a change. */
    public static final double MIN_COSINE_DISTANCE = 0.01;

    private static final double REBASE_EXPONENT = 32;
    private static final long MINUTE_MS = 60_000L;

    private final double halfLifeMs;

    /** @param halfLifeMs half-life H of the decay, ms (default 7 days) */
    public InterestVectors(long halfLifeMs) {
        this.halfLifeMs = halfLifeMs;
    }

    /** Signal of a ClickEvent by type: VIEW, CLICK, SEARCH 1; ADD_TO_CART, SHARE 3; PURCHASE 5; else 0. */
    public static double clickSignal(EventType type) {
        switch (type) {
            case VIEW:
            case CLICK:
            case SEARCH:
                return 1;
            case ADD_TO_CART:
            case SHARE:
                return 3;
            case PURCHASE:
                return 5;
            default:
                return 0;
        }
    }

    /** Signal of dwell that raises a view's engaged time from {@code e1Ms} to {@code e2Ms}. */
    public static double dwellSignal(long e1Ms, long e2Ms) {
        return log2(1 + e2Ms / 10_000.0) - log2(1 + e1Ms / 10_000.0);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * Adds a signal at event time {@code t} to the topics (dictionary indexes), shared by {@code
     * shares} (parallel, any positive scale; empty: equal shares).
     *
     * @return true when a signal was added (positive, with topics)
     */
    public boolean addSignal(UserState st, List<Integer> topics, List<Double> shares, double signal, long t) {
        if (signal <= 0 || topics.isEmpty()) {
            return false;
        }
        InterestState v = st.getInterest();
        if (v == null) {
            v = InterestState.newBuilder()
                    .setReferenceTime(t)
                    .setTopics(new ArrayList<>())
                    .setWeights(new ArrayList<>())
                    .setAsOf(t)
                    .setEventsCounted(0)
                    .setEmittedTopics(new ArrayList<>())
                    .setEmittedWeights(new ArrayList<>())
                    .setLastEmitMinute(-1)
                    .setHeld(false)
                    .build();
            st.setInterest(v);
        }
        double exponent = (t - v.getReferenceTime()) / halfLifeMs;
        if (exponent > REBASE_EXPONENT) {
            rebase(v, t);
            exponent = 0;
        }
        double scaled = signal * Math.pow(2, exponent);
        double[] fractions = fractions(topics.size(), shares);
        for (int i = 0; i < topics.size(); i++) {
            add(v, topics.get(i), scaled * fractions[i]);
        }
        v.setEventsCounted(v.getEventsCounted() + 1);
        return true;
    }

    /**
     * @return each of {@code n} topics' part of a signal: its share over the sum of {@code shares}
     *     (any positive scale), or 1/n each when {@code shares} is empty (inline topics)
     */
    public static double[] fractions(int n, List<Double> shares) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += shares.isEmpty() ? 1 : shares.get(i);
        }
        double[] fractions = new double[n];
        for (int i = 0; i < n; i++) {
            fractions[i] = (shares.isEmpty() ? 1 : shares.get(i)) / total;
        }
        return fractions;
    }

    /** Moves the reference time to {@code t}, rescaling the weights: same vector, smaller numbers. */
    private void rebase(InterestState v, long t) {
        double factor = Math.pow(2, -(t - v.getReferenceTime()) / halfLifeMs);
        List<Double> weights = v.getWeights();
        for (int i = 0; i < weights.size(); i++) {
            weights.set(i, weights.get(i) * factor);
        }
        v.setReferenceTime(t);
    }

    private void add(InterestState v, int topic, double amount) {
        List<Integer> topics = v.getTopics();
        List<Double> weights = v.getWeights();
        int at = topics.indexOf(topic);
        if (at >= 0) {
            weights.set(at, weights.get(at) + amount);
            return;
        }
        topics.add(topic);
        weights.add(amount);
        if (topics.size() > MAX_TOPICS) {
            int smallest = 0;
            for (int i = 1; i < weights.size(); i++) {
                if (weights.get(i) < weights.get(smallest)) {
                    smallest = i;
                }
            }
            topics.remove(smallest);
            weights.remove(smallest);
        }
    }

    /**
     * After an event is applied: moves {@code as_of} to its time (if later) and emits the vector when
     * the rules allow (cosine distance, once per event-time minute, held changes).
     *
     * @return the record to write, or null
     */
    public InterestVector onEvent(UserState st, String user, long eventTime) {
        InterestState v = st.getInterest();
        if (v == null) {
            return null;
        }
        v.setAsOf(Math.max(v.getAsOf(), eventTime));
        long minute = Math.floorDiv(v.getAsOf(), MINUTE_MS);
        Top top = top(st);
        if (!v.getHeld() && cosineDistance(top, v) <= MIN_COSINE_DISTANCE) {
            return null;
        }
        if (minute <= v.getLastEmitMinute()) {
            v.setHeld(true);
            return null;
        }
        return emit(st, user, top, v.getAsOf());
    }

    /** A session closed: always emits, {@code as_of} = the session's last event time. */
    public InterestVector onSessionClosed(UserState st, String user, long sessionEnd) {
        InterestState v = st.getInterest();
        return v == null ? null : emit(st, user, top(st), sessionEnd);
    }

    private InterestVector emit(UserState st, String user, Top top, long asOf) {
        InterestState v = st.getInterest();
        v.setEmittedTopics(new ArrayList<>(top.topics));
        v.setEmittedWeights(new ArrayList<>(top.unitWeights));
        v.setLastEmitMinute(Math.max(v.getLastEmitMinute(), Math.floorDiv(asOf, MINUTE_MS)));
        v.setHeld(false);
        List<String> dictionary = st.getTopicDictionary();
        List<TopicWeight> pairs = new ArrayList<>(top.topics.size());
        for (int i = 0; i < top.topics.size(); i++) {
            pairs.add(new TopicWeight(dictionary.get(top.topics.get(i)), top.unitWeights.get(i)));
        }
        double sumSquares = 0;
        for (double w : v.getWeights()) {
            sumSquares += w * w;
        }
        double norm = Math.sqrt(sumSquares) * Math.pow(2, -(asOf - v.getReferenceTime()) / halfLifeMs);
        return InterestVector.newBuilder()
                .setUser(user)
                .setAsOf(Instant.ofEpochMilli(asOf))
                .setTop(pairs)
                .setNorm(norm)
                .setEventsCounted(v.getEventsCounted())
                .build();
    }

    /**
     * Top topics (dictionary indexes) by weight, ties by topic name, with unit-vector weights. Keeps
     * the best {@link #TOP} in a small sorted array while scanning the weights once (a full sort of up
     * to {@link #MAX_TOPICS} boxed weights on every event was a visible share of the per-user
     * operator's CPU for heavy users); the order is the same total order, so the result is too.
     */
    private static Top top(UserState st) {
        InterestState v = st.getInterest();
        List<Integer> topics = v.getTopics();
        List<Double> weights = v.getWeights();
        List<String> dictionary = st.getTopicDictionary();
        int size = topics.size();
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            w[i] = weights.get(i);
        }
        int n = Math.min(TOP, size);
        int[] best = new int[n];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (count == n && !ranksBefore(i, best[n - 1], w, topics, dictionary)) {
                continue;
            }
            int at = count < n ? count++ : n - 1; // when full, the last (worst) one drops out
            while (at > 0 && ranksBefore(i, best[at - 1], w, topics, dictionary)) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            sumSquares += w[best[i]] * w[best[i]];
        }
        double norm = Math.sqrt(sumSquares);
        Top top = new Top(new ArrayList<>(n), new ArrayList<>(n));
        for (int i = 0; i < n; i++) {
            top.topics.add(topics.get(best[i]));
            top.unitWeights.add(norm == 0 ? 0 : w[best[i]] / norm);
        }
        return top;
    }

    /** @return the user's top {@code n} topics by weight, best first (ties by name); empty without a vector */
    public static List<String> topTopics(UserState st, int n) {
        if (st.getInterest() == null) {
            return new ArrayList<>();
        }
        Top top = top(st);
        List<String> out = new ArrayList<>(Math.min(n, top.topics.size()));
        for (int i = 0; i < top.topics.size() && out.size() < n; i++) {
            out.add(st.getTopicDictionary().get(top.topics.get(i)));
        }
        return out;
    }

    /** The ranking of {@link #top}: higher weight first, ties by topic name. */
    private static boolean ranksBefore(int a, int b, double[] w, List<Integer> topics, List<String> dictionary) {
        int c = Double.compare(w[b], w[a]);
        return c != 0 ? c < 0 : dictionary.get(topics.get(a)).compareTo(dictionary.get(topics.get(b))) < 0;
    }

    /** 1 - cosine similarity of the current top vector and the last emitted one (1 when nothing was emitted). */
    private static double cosineDistance(Top top, InterestState v) {
        List<Integer> emitted = v.getEmittedTopics();
        if (emitted.isEmpty()) {
            return 1;
        }
        double dot = 0;
        for (int i = 0; i < top.topics.size(); i++) {
            int at = emitted.indexOf(top.topics.get(i));
            if (at >= 0) {
                dot += top.unitWeights.get(i) * v.getEmittedWeights().get(at);
            }
        }
        return 1 - dot;
    }

    /** Indexes used by the vector, for dictionary compaction. */
    public static void collectTopics(InterestState v, java.util.Set<Integer> used) {
        if (v != null) {
            used.addAll(v.getTopics());
            used.addAll(v.getEmittedTopics());
        }
    }

    /** Rewrites the vector's dictionary indexes with {@code remap[old] = new}. */
    public static void remapTopics(InterestState v, int[] remap) {
        if (v == null) {
            return;
        }
        v.setTopics(remapped(v.getTopics(), remap));
        v.setEmittedTopics(remapped(v.getEmittedTopics(), remap));
    }

    static List<Integer> remapped(List<Integer> indexes, int[] remap) {
        List<Integer> out = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            out.add(remap[i]);
        }
        return out;
    }

    private record Top(List<Integer> topics, List<Double> unitWeights) {}
}
