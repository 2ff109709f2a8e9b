package org.attentionanalytics.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DwellEvent;

/**
 * The benchmark's realistic event set, generated once in memory (deterministic for a seed).
 *
 * <p><b>Users.</b> {@code users} active users (ids {@code u1..uN}, rank = number): each has at
 * least one session in the period (so the user count is the number of active users, as a DAU
 * figure); the sessions beyond those go to users in proportion to a Zipf law of exponent {@link
 * #ZIPF_S} over the rank, each user capped at {@link #MAX_SESSIONS_PER_USER} sessions in the
 * period (a real person does not start more). Session starts are uniform over a period of {@link
 * #PERIOD_MS} ending a minute before generation, so event times are in the past (the job caps its
 * watermark at the processing clock) and sessions of one user may overlap and merge, as they do.
 *
 * <p><b>Sessions</b> (fitted on EB-NeRD {@code history_flat.csv}, {@code tools/src/test/python/fit_dwell.py}):
 * a geometric number of article reads with mean {@link #READS_PER_SESSION}; per read a VIEW
 * ({@link ClickEvent} with the item's topics inline), a {@link DwellEvent} of the read time ending
 * that much later (no inline topics, as a heartbeat producer sends it: the job looks the item up
 * in the catalog), and with probability {@link #CLICK_SHARE} a CLICK on the item right after;
 * read time 0 with probability {@link #ZERO_READ_SHARE}, else log-normal with {@link
 * #READ_MU}/{@link #READ_SIGMA} (ln seconds), whole seconds, at most 30 min; the next read starts
 * after a log-normal think time ({@link #THINK_MU}/{@link #THINK_SIGMA}, 1 s to 25 min).
 * {@link #DUPLICATE_SHARE} of the records are sent twice (a producer retry).
 *
 * <p><b>Topics and items.</b> A catalog of {@link #ITEMS} items over {@link #TOPICS} dotted topic
 * codes (24 sections of 20 subtopics); an item has 1 to 3 topics of one section. Each user has
 * three favourite topics; a read picks one of them with probability 0.7 (an item Zipf-popular
 * within that topic), else an item by global Zipf popularity.
 *
 * <p>Records are Avro single-object encoded, keyed by the raw user id and partitioned as Kafka's
 * default partitioner would, each partition in event-time order.
 */
public final class EventGenerator {
    /** Zipf exponent of the extra sessions over user rank. */
    public static final double ZIPF_S = 1.0;
    /** Most sessions one user starts in the period. */
    public static final int MAX_SESSIONS_PER_USER = 24;
    /** Length of the event-time period, ms: 8 h. */
    public static final long PERIOD_MS = 8 * 3_600_000L;
    /** Mean reads per session (EB-NeRD: 4.10). */
    public static final double READS_PER_SESSION = 4.10;
    /** ln-seconds log-normal of read_time_s > 0 (EB-NeRD history: mu 2.8835, sigma 1.3676). */
    public static final double READ_MU = 2.8835;
    /** See {@link #READ_MU}. */
    public static final double READ_SIGMA = 1.3676;
    /** Share of reads with read_time_s 0 (EB-NeRD history: 509 of 8,303). */
    public static final double ZERO_READ_SHARE = 0.0613;
    /** ln-seconds log-normal of the think time between reads (EB-NeRD: mu 1.7995, sigma 1.8507). */
    public static final double THINK_MU = 1.7995;
    /** See {@link #THINK_MU}. */
    public static final double THINK_SIGMA = 1.8507;
    /** Share of reads followed by a CLICK event. */
    public static final double CLICK_SHARE = 0.25;
    /** Share of records sent twice. */
    public static final double DUPLICATE_SHARE = 0.005;
    /** Items in the catalog. */
    public static final int ITEMS = 20_000;
    /** Topic codes. */
    public static final int TOPICS = 480;
    /** Events per session on average: reads x (view + dwell + click share). */
    public static final double EVENTS_PER_SESSION = READS_PER_SESSION * (2 + CLICK_SHARE);

    static final String[] SECTIONS = {
        "news",
        "sport",
        "business",
        "tech",
        "science",
        "health",
        "culture",
        "travel",
        "food",
        "motoring",
        "politics",
        "world",
        "local",
        "opinion",
        "entertainment",
        "music",
        "film",
        "books",
        "games",
        "fashion",
        "home",
        "money",
        "education",
        "weather"
    };

    /** Kinds of a planned event. */
    static final byte VIEW = 0;

    static final byte CLICK = 1;
    static final byte DWELL = 2;

    /**
     * The plan: every event as primitive columns, sorted by event time (ties: plan order). {@code
     * time} is ms since epoch; {@code dwellMs} only for DWELL; {@code duplicate}: send twice.
     */
    public static final class Plan {
        public final long[] time;
        public final int[] user;
        public final int[] item;
        public final byte[] kind;
        public final int[] dwellMs;
        public final boolean[] duplicate;
        public final int activeUsers;
        public final int heaviestUserEvents;

        Plan(int n, int activeUsers, int heaviestUserEvents) {
            time = new long[n];
            user = new int[n];
            item = new int[n];
            kind = new byte[n];
            dwellMs = new int[n];
            duplicate = new boolean[n];
            this.activeUsers = activeUsers;
            this.heaviestUserEvents = heaviestUserEvents;
        }

        /** @return planned events (duplicates counted once) */
        public int size() {
            return time.length;
        }
    }

    private final long seed;
    private final String[] topicCodes = new String[TOPICS];
    private final int[][] itemTopics = new int[ITEMS][];
    private final int[][] itemsOfTopic = new int[TOPICS][];
    private final double[] globalItemCdf;
    private final EventEncoder encoder;

    /** @param seed of every random choice */
    public EventGenerator(long seed) {
        this.seed = seed;
        int subs = TOPICS / SECTIONS.length;
        for (int t = 0; t < TOPICS; t++) {
            topicCodes[t] = SECTIONS[t / subs] + ".sub" + (t % subs);
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        List<List<Integer>> byTopic = new ArrayList<>();
        for (int t = 0; t < TOPICS; t++) {
            byTopic.add(new ArrayList<>());
        }
        for (int i = 0; i < ITEMS; i++) {
            int primary = (int) ((i * 2654435761L) % TOPICS);
            int section = primary / subs;
            int n = 1 + r.nextInt(3);
            int[] ts = new int[n];
            ts[0] = primary;
            for (int k = 1; k < n; k++) {
                int t;
                do {
                    t = section * subs + r.nextInt(subs);
                } while (contains(ts, k, t));
                ts[k] = t;
            }
            itemTopics[i] = ts;
            byTopic.get(primary).add(i);
        }
        for (int t = 0; t < TOPICS; t++) {
            itemsOfTopic[t] =
                    byTopic.get(t).stream().mapToInt(Integer::intValue).toArray();
        }
        globalItemCdf = Sampling.zipfCdf(ITEMS, 0.9);
        encoder = new EventEncoder(topicCodes, itemTopics);
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    /** @return the topic code of topic index {@code t} */
    public String topic(int t) {
        return topicCodes[t];
    }

    /** @return the item id of item {@code i} */
    public static String itemId(int i) {
        return "item-" + i;
    }

    /** @return the raw user id of user rank {@code u} */
    public static String userId(int u) {
        return "u" + u;
    }

    /**
     * Plans about {@code events} events of {@code users} active users ending at {@code endMs}.
     *
     * @return the plan, sorted by event time
     */
    public Plan plan(int users, long events, long endMs) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] perUser = Sampling.sessionsPerUser(users, events / EVENTS_PER_SESSION);
        long start = endMs - PERIOD_MS;
        double[] topicCdf = Sampling.zipfCdf(Math.max(1, itemsOfTopic[0].length), 0.9);
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, events + events / 4 + 1024);
        long[] order = new long[1024];
        long[] time = new long[1024];
        int[] user = new int[1024];
        int[] item = new int[1024];
        byte[] kind = new byte[1024];
        int[] dwell = new int[1024];
        int n = 0;
        int heaviest = 0;
        for (int u = 1; u <= users; u++) {
            double want = perUser[u];
            int sessions = (int) want + (r.nextDouble() < want - (int) want ? 1 : 0);
            int[] favourites = {r.nextInt(TOPICS), r.nextInt(TOPICS), r.nextInt(TOPICS)};
            int before = n;
            for (int s = 0; s < sessions && n < cap; s++) {
                long t = start + (long) (r.nextDouble() * PERIOD_MS);
                int reads = 1;
                while (r.nextDouble() > 1 / READS_PER_SESSION && reads < 200) {
                    reads++;
                }
                for (int k = 0; k < reads && t < endMs; k++) {
                    double f = r.nextDouble();
                    int it;
                    if (f < 0.7) {
                        int topic = favourites[f < 0.35 ? 0 : f < 0.56 ? 1 : 2];
                        int[] pool = itemsOfTopic[topic];
                        it = pool.length == 0
                                ? Sampling.sample(globalItemCdf, r.nextDouble())
                                : pool[
                                        Math.min(
                                                pool.length - 1,
                                                Sampling.sample(topicCdf, r.nextDouble()) % pool.length)];
                    } else {
                        it = Sampling.sample(globalItemCdf, r.nextDouble());
                    }
                    long readMs = r.nextDouble() < ZERO_READ_SHARE
                            ? 0
                            : 1000L
                                    * Math.min(
                                            1800,
                                            Math.max(
                                                    1,
                                                    Math.round(Math.exp(READ_MU + READ_SIGMA * Sampling.gaussian(r)))));
                    int needed = n + 3;
                    if (needed > time.length) {
                        int len = Math.max(needed, time.length * 2);
                        time = Arrays.copyOf(time, len);
                        user = Arrays.copyOf(user, len);
                        item = Arrays.copyOf(item, len);
                        kind = Arrays.copyOf(kind, len);
                        dwell = Arrays.copyOf(dwell, len);
                    }
                    time[n] = t;
                    user[n] = u;
                    item[n] = it;
                    kind[n] = VIEW;
                    n++;
                    time[n] = Math.min(endMs, t + readMs);
                    user[n] = u;
                    item[n] = it;
                    kind[n] = DWELL;
                    dwell[n] = (int) readMs;
                    n++;
                    if (r.nextDouble() < CLICK_SHARE) {
                        time[n] = Math.min(endMs, t + readMs + 500);
                        user[n] = u;
                        item[n] = it;
                        kind[n] = CLICK;
                        n++;
                    }
                    long thinkMs = 1000L
                            * Math.min(
                                    1500,
                                    Math.max(1, Math.round(Math.exp(THINK_MU + THINK_SIGMA * Sampling.gaussian(r)))));
                    t += readMs + thinkMs;
                }
            }
            heaviest = Math.max(heaviest, n - before);
        }
        // sort by time: (time - start) in the high bits, plan index in the low 27 bits
        if (n >= (1 << 27)) {
            throw new IllegalArgumentException("at most 134 million events");
        }
        order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = ((time[i] - start) << 27) | i;
        }
        Arrays.parallelSort(order);
        Plan plan = new Plan(n, users, heaviest);
        for (int j = 0; j < n; j++) {
            int i = (int) (order[j] & ((1 << 27) - 1));
            plan.time[j] = time[i];
            plan.user[j] = user[i];
            plan.item[j] = item[i];
            plan.kind[j] = kind[i];
            plan.dwellMs[j] = dwell[i];
            plan.duplicate[j] = r.nextDouble() < DUPLICATE_SHARE;
        }
        return plan;
    }

    /** Topic name of the plan's event kinds. */
    public static boolean isClickTopic(byte kind) {
        return kind != DWELL;
    }

    /**
     * Encodes event {@code j} of the plan (Avro single-object encoding) with event time {@code
     * timeMs} (the plan's, or the send time for the latency run) and event id {@code "ev-" + id}.
     */
    public byte[] encode(Plan plan, int j, long timeMs, long id) {
        return encoder.encode(plan, j, timeMs, id);
    }

    /** @return the catalog: one {@link ContentProfile} per item, equal weights over its topics */
    public List<ContentProfile> catalog() {
        return encoder.catalog();
    }

    /**
     * Fills {@code topics} with the plan: {@code clickTopic} (VIEW and CLICK), {@code dwellTopic}
     * (DWELL), each record keyed by the raw user id, duplicates twice; and {@code catalogTopic}.
     */
    public void fill(Plan plan, MemoryTopics topics, String clickTopic, String dwellTopic, String catalogTopic) {
        encoder.fill(plan, topics, clickTopic, dwellTopic, catalogTopic);
    }
}
