package org.attentionanalytics.local.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;

/**
 * The four scripted people of the demo: one for each alert of DESIGN.md section 7 and one for the
 * focus blocks of section 13, so a local run shows every alert within its first hour (with the
 * default thresholds):
 *
 * <ul>
 *   <li>{@link Kind#OVERLOADER} ({@code demo-overloader}): a view every 7-17 s, each read 3-7 s
 *       (a skim, under 10 s), each on another topic: about 50 views in 10 minutes, all skims, all
 *       topic switches, so {@code INFORMATION_OVERLOAD} fires about 6 minutes into a session.
 *       Sessions of 20 min, then 40 min away.
 *   <li>{@link Kind#MARATHON_READER} ({@code demo-marathon-reader}): long reads (3-8 min, a dwell
 *       heartbeat every 5-10 s) with 5-30 s between them, for 65 minutes without a 5-minute
 *       break, so {@code TAKE_A_BREAK} fires about 50 minutes in. Then a 15-minute break.
 *   <li>{@link Kind#OVER_BUDGET} ({@code demo-over-budget}): reads sports news (40-120 s a view)
 *       and has a budget of {@value #SPORTS_BUDGET_MINUTES} minutes a day for the category {@code
 *       sports} (zone Europe/Berlin), published once at the start to the budgets topic, so {@code
 *       TIME_BUDGET_EXCEEDED} fires about 11 minutes into the first session, once per local day.
 *   <li>{@link Kind#FOCUS_WORKER} ({@code demo-focus-worker}): has one one-off focus block,
 *       {@value #FOCUS_BLOCK_NAME}, from its first session's start to {@value #FOCUS_BLOCK_MINUTES}
 *       minutes later, for the category {@code technology} with a short pomodoro cadence (work
 *       10, short break 2, long break 5 minutes, 2 cycles), published once at the start to the
 *       focus-blocks topic. Its sessions of 30 min (then 40 min away) read {@code news.technology}
 *       (40-120 s a view), except sports news from minute {@value #DRIFT_FROM_MINUTE} to minute
 *       {@value #DRIFT_UNTIL_MINUTE} (a read running at either minute ends there): {@code POMODORO_BREAK} (short) fires about 10 minutes into
 *       the block, {@code DISTRACTED_IN_FOCUS_BLOCK} 13 to 14 minutes in (5 minutes of sports),
 *       {@code POMODORO_BREAK} (long) about 26 minutes in, and the block's report comes about 35
 *       minutes in (its end plus the allowed lateness). Later sessions are outside the block.
 * </ul>
 *
 * Each persona draws from its own {@link Random}, so adding them leaves the other users' traffic
 * unchanged. Their events are ordinary: no duplicates, bots or bad records are mixed in.
 */
final class Persona {
    /** Which alert the persona shows. */
    enum Kind {
        OVERLOADER("demo-overloader"),
        MARATHON_READER("demo-marathon-reader"),
        OVER_BUDGET("demo-over-budget"),
        FOCUS_WORKER("demo-focus-worker");

        /** The raw user id (the job pseudonymizes it). */
        final String userId;

        Kind(String userId) {
            this.userId = userId;
        }
    }

    /** Daily budget of {@link Kind#OVER_BUDGET} for the category {@code sports}, minutes. */
    static final long SPORTS_BUDGET_MINUTES = 10;
    /** Zone of {@link Kind#OVER_BUDGET} (its budget record and events carry it). */
    static final String OVER_BUDGET_ZONE = "Europe/Berlin";

    /** Name of the one-off focus block of {@link Kind#FOCUS_WORKER}. */
    static final String FOCUS_BLOCK_NAME = "deep-work";
    /** Length of that block, from the persona's first session's start, minutes. */
    static final long FOCUS_BLOCK_MINUTES = 30;
    /** Minute of a {@link Kind#FOCUS_WORKER} session from which its views are sports news. */
    static final long DRIFT_FROM_MINUTE = 8;
    /** Minute of a {@link Kind#FOCUS_WORKER} session from which its views are technology again. */
    static final long DRIFT_UNTIL_MINUTE = 16;

    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final String BROWSER = Taxonomy.BROWSERS.get(0);

    /** Receives a persona's records with the time they are due (ms). */
    interface Out {
        void record(long due, DemoRecord record);
    }

    private enum Phase {
        PAUSED,
        VIEW,
        READING
    }

    final Kind kind;
    long nextStep;
    private final Random random;
    private final String eventIdPrefix;
    private final int[] topics;
    /** Topics from minute {@link #DRIFT_FROM_MINUTE} to {@link #DRIFT_UNTIL_MINUTE} of a session, or null. */
    private final int[] driftTopics;

    private final long readMinMs;
    private final long readMaxMs;
    private final long betweenMinMs;
    private final long betweenMaxMs;
    private final long sessionMs;
    private final long pauseMs;
    private final String timeZone;
    private Phase phase = Phase.PAUSED;
    private long sessionStarts;
    private long sessionEnds;
    private long seq;
    private int topic = -1;
    private int item;
    private long readLeftMs;
    private long beatMs;

    private Persona(Kind kind, long seed, long firstSessionAt) {
        this.kind = kind;
        this.random = new Random(seed ^ kind.userId.hashCode());
        this.eventIdPrefix = DemoTraffic.eventIdPrefix(seed, kind.name(), 0);
        this.nextStep = firstSessionAt;
        this.driftTopics = kind == Kind.FOCUS_WORKER ? topicsStartingWith("news.sports.") : null;
        switch (kind) {
            case OVERLOADER -> {
                topics = IntStream.range(0, Taxonomy.TOPICS.size()).toArray();
                readMinMs = 3 * SECOND;
                readMaxMs = 7 * SECOND;
                betweenMinMs = 4 * SECOND;
                betweenMaxMs = 10 * SECOND;
                sessionMs = 20 * MINUTE;
                pauseMs = 40 * MINUTE;
                timeZone = null;
            }
            case MARATHON_READER -> {
                topics = topicsStartingWith("news.world", "news.politics", "news.science", "news.culture");
                readMinMs = 3 * MINUTE;
                readMaxMs = 8 * MINUTE;
                betweenMinMs = 5 * SECOND;
                betweenMaxMs = 30 * SECOND;
                sessionMs = 65 * MINUTE;
                pauseMs = 15 * MINUTE;
                timeZone = null;
            }
            case FOCUS_WORKER -> {
                topics = new int[] {Taxonomy.TOPICS.indexOf("news.technology")};
                readMinMs = 40 * SECOND;
                readMaxMs = 120 * SECOND;
                betweenMinMs = 5 * SECOND;
                betweenMaxMs = 20 * SECOND;
                sessionMs = FOCUS_BLOCK_MINUTES * MINUTE;
                pauseMs = 40 * MINUTE;
                timeZone = null;
            }
            default -> {
                topics = topicsStartingWith("news.sports");
                readMinMs = 40 * SECOND;
                readMaxMs = 120 * SECOND;
                betweenMinMs = 5 * SECOND;
                betweenMaxMs = 20 * SECOND;
                sessionMs = 25 * MINUTE;
                pauseMs = 40 * MINUTE;
                timeZone = OVER_BUDGET_ZONE;
            }
        }
    }

    /**
     * The four personas, their first sessions starting within a minute of {@code start}.
     *
     * @param start the simulation's start, ms since epoch
     */
    static List<Persona> all(long seed, long start) {
        Random r = new Random(seed);
        return List.of(
                new Persona(Kind.OVERLOADER, seed, start + r.nextInt(60_000)),
                new Persona(Kind.MARATHON_READER, seed, start + r.nextInt(60_000)),
                new Persona(Kind.OVER_BUDGET, seed, start + r.nextInt(60_000)),
                new Persona(Kind.FOCUS_WORKER, seed, start + r.nextInt(60_000)));
    }

    /**
     * The budget record of {@link Kind#OVER_BUDGET}: {@code sports} {@value #SPORTS_BUDGET_MINUTES}
     * minutes a day, alerts on, applying from {@code updatedAt} (ms).
     */
    static DemoRecord budget(long updatedAt) {
        AttentionBudget budget = AttentionBudget.newBuilder()
                .setUserId(Kind.OVER_BUDGET.userId)
                .setTimeZone(OVER_BUDGET_ZONE)
                .setBudgets(Map.of("sports", SPORTS_BUDGET_MINUTES))
                .setAlertsEnabled(true)
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                .build();
        return new DemoRecord(
                DemoRecord.ATTENTION_BUDGETS, Kind.OVER_BUDGET.userId, DemoTraffic.encode(budget::toByteBuffer));
    }

    /**
     * The focus blocks of {@link Kind#FOCUS_WORKER}: one one-off block {@value #FOCUS_BLOCK_NAME}
     * from {@code blockStart} to {@value #FOCUS_BLOCK_MINUTES} minutes later (ms), for {@code
     * technology}, pomodoro work 10, short break 2, long break 5 minutes, 2 cycles, applying from
     * {@code updatedAt} (ms).
     */
    static DemoRecord focusBlocks(long updatedAt, long blockStart) {
        FocusBlock block = FocusBlock.newBuilder()
                .setName(FOCUS_BLOCK_NAME)
                .setStart(Instant.ofEpochMilli(blockStart))
                .setEnd(Instant.ofEpochMilli(blockStart + FOCUS_BLOCK_MINUTES * MINUTE))
                .setFocusCategories(List.of("technology"))
                .setPomodoro(PomodoroCadence.newBuilder()
                        .setWorkMinutes(10)
                        .setShortBreakMinutes(2)
                        .setLongBreakMinutes(5)
                        .setCycles(2)
                        .build())
                .build();
        FocusBlocks blocks = FocusBlocks.newBuilder()
                .setUserId(Kind.FOCUS_WORKER.userId)
                .setBlocks(List.of(block))
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                .build();
        return new DemoRecord(
                DemoRecord.FOCUS_BLOCKS, Kind.FOCUS_WORKER.userId, DemoTraffic.encode(blocks::toByteBuffer));
    }

    /** Runs the step due at {@link #nextStep}, hands its records to {@code out}, schedules the next. */
    void step(Out out) {
        long t = nextStep;
        switch (phase) {
            case PAUSED -> {
                sessionStarts = t;
                sessionEnds = t + sessionMs;
                view(t, out);
            }
            case VIEW -> view(t, out);
            case READING -> heartbeat(t, out);
        }
    }

    private void view(long t, Out out) {
        int[] from = topics;
        if (driftTopics != null
                && t - sessionStarts >= DRIFT_FROM_MINUTE * MINUTE
                && t - sessionStarts < DRIFT_UNTIL_MINUTE * MINUTE) {
            from = driftTopics;
        }
        int next;
        do {
            next = from[random.nextInt(from.length)];
        } while (next == topic && from.length > 1);
        topic = next;
        item = Taxonomy.popularItem(random);
        ClickEvent view = ClickEvent.newBuilder()
                .setEventId(nextEventId())
                .setUserId(kind.userId)
                .setEventTime(Instant.ofEpochMilli(t))
                .setEventType(EventType.VIEW)
                .setItemId(Taxonomy.itemId(topic, item))
                .setTopics(Taxonomy.topicsOf(topic, item))
                .setUrl(Taxonomy.url(topic, item, random))
                .setUserAgent(BROWSER)
                .setTimeZone(timeZone)
                .build();
        out.record(
                t + random.nextInt(500),
                new DemoRecord(DemoRecord.CLICKSTREAM, kind.userId, DemoTraffic.encode(view::toByteBuffer)));
        readLeftMs = uniform(readMinMs, readMaxMs);
        if (driftTopics != null) { // a read ends at the drift's start or end, so the drift is on time
            long elapsed = t - sessionStarts;
            for (long edge : new long[] {DRIFT_FROM_MINUTE * MINUTE, DRIFT_UNTIL_MINUTE * MINUTE}) {
                if (elapsed < edge && elapsed + readLeftMs > edge) {
                    readLeftMs = edge - elapsed;
                }
            }
        }
        phase = Phase.READING;
        scheduleBeat(t);
    }

    private void heartbeat(long t, Out out) {
        long engaged = beatMs;
        readLeftMs -= engaged;
        DwellEvent dwell = DwellEvent.newBuilder()
                .setEventId(nextEventId())
                .setUserId(kind.userId)
                .setEventTime(Instant.ofEpochMilli(t))
                .setItemId(Taxonomy.itemId(topic, item))
                .setDwellMs(engaged)
                .setTopics(Taxonomy.topicsOf(topic, item))
                .setTimeZone(timeZone)
                .setUserAgent(BROWSER)
                .setVisible(true)
                .build();
        out.record(
                t + random.nextInt(4_000),
                new DemoRecord(DemoRecord.DWELL_TIME, kind.userId, DemoTraffic.encode(dwell::toByteBuffer)));
        if (readLeftMs > 0) {
            scheduleBeat(t);
        } else if (t >= sessionEnds) {
            phase = Phase.PAUSED;
            nextStep = t + pauseMs;
        } else {
            phase = Phase.VIEW;
            nextStep = t + uniform(betweenMinMs, betweenMaxMs);
        }
    }

    /** Heartbeats every 5-10 s; skims (reads under 10 s) get a single beat covering the whole read. */
    private void scheduleBeat(long t) {
        beatMs = readMaxMs < 10 * SECOND ? readLeftMs : Math.min(5 * SECOND + random.nextInt(5_000), readLeftMs);
        nextStep = t + beatMs;
    }

    private String nextEventId() {
        return eventIdPrefix + seq++;
    }

    private long uniform(long fromMs, long toMs) {
        return fromMs + (long) (random.nextDouble() * (toMs - fromMs));
    }

    private static int[] topicsStartingWith(String... prefixes) {
        return IntStream.range(0, Taxonomy.TOPICS.size())
                .filter(i -> List.of(prefixes).stream()
                        .anyMatch(p -> Taxonomy.TOPICS.get(i).startsWith(p)))
                .toArray();
    }

    /** @return how long a persona's cycle of session and pause lasts (for tests) */
    Duration cycle() {
        return Duration.ofMillis(sessionMs + pauseMs);
    }
}
