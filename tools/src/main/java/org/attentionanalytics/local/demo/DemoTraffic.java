package org.attentionanalytics.local.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;

/**
 * Deterministic simulation of people reading news and shopping, as the Kafka records the job
 * reads (DESIGN.md sections 2 and 3). Pure: no I/O, no threads; the same seed, user count, target
 * and clock readings give the same records.
 *
 * <p>Time: the simulation starts at the clock's instant at construction and runs at the clock's
 * speed, so with the system clock the events are "now". {@link #nextBatch()} returns every record
 * due up to the clock's current instant. Event times are ms, UTC. A record is due a little after
 * its event time (clicks up to 0.5 s, dwell up to 4 s), so a user's clicks and dwell arrive
 * slightly out of order, as they would from two trackers.
 *
 * <p>People: users {@code user-0001} to {@code user-NNNN}, each with a browser, a device id, an IP
 * address (PII the job must drop), 2-4 favourite topics out of about 30 dotted codes
 * ({@code news.sports.football}, {@code appliances.kitchen.kettle}, ...), and for 8% of them a
 * {@code time_zone}. They alternate sessions and pauses: 45% of pauses last 3-28 min (shorter than
 * the 30 min inactivity gap, so the job sees one session), the others 31 min or more. A session is
 * a sequence of VIEWs, each followed by dwell heartbeats every 5-15 s while it is read
 * ({@code dwell_ms} = the engaged increment, {@code scroll_depth_pct}, {@code visible}), with
 * SEARCHes, CLICKs on links, ADD_TO_CARTs and rare PURCHASEs in between. About 10% of the users
 * are skimmers: many views of 1-9 s across topics, which is information overload.
 *
 * <p>Noise, per ordinary record: {@value #DUPLICATE_RATE} resent (the same bytes again, up to 2 s
 * later), {@value #BOT_RATE} a VIEW from a crawler or headless browser ({@code bot-NNN}), and
 * {@value #BAD_RATE} a bad record of the user: garbage bytes, a negative dwell, a dwell over 4 h, an
 * event 2 days in the future, the time zone {@code Mars/Olympus}, or a topic of {@value
 * #OVERSIZE_TOPIC_CHARS} characters (above the default {@code --limits.topic-length}). Event ids are
 * {@code demo-<16 hex digits>-<seq>}, a token per simulated user mixed from the seed (as a
 * tracker's random ids: nothing of the user id), unique apart from the resent records.
 */
public final class DemoTraffic {
    /** Users simulated when none is given. */
    public static final int DEFAULT_USERS = 500;
    /** Fraction of ordinary records sent a second time (a producer retry). */
    public static final double DUPLICATE_RATE = 0.005;
    /** Fraction of ordinary records followed by a crawler's record. */
    public static final double BOT_RATE = 0.005;
    /** Fraction of ordinary records followed by a bad record (a dead letter for the job). */
    public static final double BAD_RATE = 0.002;
    /**
     * Raw user ids of the scripted personas ({@link Persona}): an overloader, a marathon reader, one
     * over budget, a focus worker.
     */
    public static final List<String> PERSONA_USER_IDS =
            java.util.Arrays.stream(Persona.Kind.values()).map(k -> k.userId).toList();
    /**
     * @return the event id prefix {@code demo-<16 hex digits>-} of simulated user {@code number} of
     *     kind {@code kind} ({@code user}, {@code bot}, a persona's name): a token mixed from the seed
     *     on a generator of its own (so the traffic of a seed stays as it was), nothing of the user id
     */
    static String eventIdPrefix(long seed, String kind, int number) {
        long token = new java.util.SplittableRandom(
                        seed ^ (kind.hashCode() * 0x9E3779B97F4A7C15L) ^ (number * 0xC2B2AE3D27D4EB4FL))
                .nextLong();
        return "demo-" + java.util.HexFormat.of().toHexDigits(token) + "-";
    }

    /** Length of the one topic of the bad records with an oversize topic: a FIELD_TOO_LARGE dead letter. */
    public static final int OVERSIZE_TOPIC_CHARS = 1_000;
    /** Time zone of the bad records with an invalid zone. */
    public static final String INVALID_TIME_ZONE = "Mars/Olympus";

    private static final int BOTS = 12;
    private static final long MAX_CLICK_DELAY_MS = 500;
    private static final long MAX_DWELL_DELAY_MS = 4_000;
    private static final long MAX_RESEND_DELAY_MS = 2_000;
    private static final long FUTURE_MS = Duration.ofDays(2).toMillis();
    private static final long FOUR_HOURS_MS = Duration.ofHours(4).toMillis();

    private final Clock clock;
    private final Instant start;
    private final Random random;
    private final PriorityQueue<SimUser> users = new PriorityQueue<>(
            Comparator.comparingLong((SimUser u) -> u.nextStep).thenComparing(u -> u.id));
    private final PriorityQueue<Pending> pending =
            new PriorityQueue<>(Comparator.comparingLong(Pending::due).thenComparingLong(Pending::order));
    private final List<SimUser> bots = new ArrayList<>();
    private final PriorityQueue<Persona> personas = new PriorityQueue<>(
            Comparator.comparingLong((Persona p) -> p.nextStep).thenComparing(p -> p.kind));
    private final SimUser.Out out = new SimUser.Out() {
        @Override
        public void click(SimUser user, ClickEvent event) {
            emit(user, clickRecord(user, event), event.getEventTime(), MAX_CLICK_DELAY_MS);
        }

        @Override
        public void dwell(SimUser user, DwellEvent event) {
            emit(user, dwellRecord(user, event), event.getEventTime(), MAX_DWELL_DELAY_MS);
        }
    };
    private long order;

    /**
     * Traffic at its natural rate (about 0.027 records per second per user: 13.5 for 500 users).
     *
     * @param seed any value; the same seed gives the same traffic
     * @param users number of simulated people, at least 1
     * @param clock drives the simulation; its instant now is the start
     * @throws IllegalArgumentException when users &lt; 1
     */
    public DemoTraffic(long seed, int users, Clock clock) {
        this(seed, users, clock, 0);
    }

    /**
     * Traffic whose long pauses are chosen so that the rate is about {@code eventsPerSecondTarget}
     * in the long run (within about 15% after the first half hour). Sessions themselves are
     * unchanged, so the rate is at most {@link #maxEventsPerSecond(int)}.
     *
     * @param seed any value; the same seed gives the same traffic
     * @param users number of simulated people, at least 1
     * @param clock drives the simulation; its instant now is the start
     * @param eventsPerSecondTarget records per second over all users; 0 for the natural rate
     * @throws IllegalArgumentException when users &lt; 1 or the target is negative or NaN
     */
    public DemoTraffic(long seed, int users, Clock clock, double eventsPerSecondTarget) {
        this(seed, users, clock, eventsPerSecondTarget, false);
    }

    /**
     * As {@link #DemoTraffic(long, int, Clock, double)}, and with {@code withPersonas} also the four
     * scripted people of {@link Persona} and, due at the start, the budget record of {@code
     * demo-over-budget} ({@link DemoRecord#ATTENTION_BUDGETS}), then the focus blocks of {@code
     * demo-focus-worker} ({@link DemoRecord#FOCUS_BLOCKS}, applying from a minute before the start,
     * its block from its first session's start). The personas draw
     * from their own random streams: the other users' records are the same with or without them.
     */
    public DemoTraffic(long seed, int users, Clock clock, double eventsPerSecondTarget, boolean withPersonas) {
        if (users < 1 || !(eventsPerSecondTarget >= 0)) {
            throw new IllegalArgumentException("users must be >= 1 and the target >= 0");
        }
        this.clock = clock;
        this.start = clock.instant();
        this.random = new Random(seed);
        Pacing pacing = Pacing.of(users, eventsPerSecondTarget);
        long t0 = start.toEpochMilli();
        for (int i = 1; i <= users; i++) {
            long first = random.nextDouble() < pacing.activeShare()
                    ? t0 + random.nextInt(60_000)
                    : t0 + (long) (random.nextDouble() * pacing.meanPauseMs() * 2);
            this.users.add(SimUser.person(i, random, first, pacing).withEventIdPrefix(eventIdPrefix(seed, "user", i)));
        }
        for (int i = 1; i <= BOTS; i++) {
            bots.add(SimUser.bot(i, random).withEventIdPrefix(eventIdPrefix(seed, "bot", i)));
        }
        if (withPersonas) {
            List<Persona> all = Persona.all(seed, t0);
            personas.addAll(all);
            enqueue(t0, Persona.budget(t0));
            for (Persona p : all) {
                if (p.kind == Persona.Kind.FOCUS_WORKER) {
                    enqueue(t0, Persona.focusBlocks(t0 - 60_000, p.nextStep));
                }
            }
        }
    }

    /**
     * @param users number of simulated people
     * @return the highest long-run rate a target can reach with that many users, records per second
     *     (about 0.043 per user: every pause as short as the session semantics allow)
     */
    public static double maxEventsPerSecond(int users) {
        return Pacing.maxRate(users);
    }

    /** @return the clock's reading now, ms */
    long millis() {
        return clock.millis();
    }

    /** @return the simulation's start: the clock's instant at construction */
    public Instant start() {
        return start;
    }

    /**
     * Runs the simulation up to the clock's instant now.
     *
     * @return the records due since the previous call, in due order (possibly none); every ordinary
     *     record has an event time at or before now
     */
    public List<DemoRecord> nextBatch() {
        long now = clock.millis();
        while (!users.isEmpty() && users.peek().nextStep <= now) {
            SimUser user = users.poll();
            user.step(random, out);
            users.add(user);
        }
        while (!personas.isEmpty() && personas.peek().nextStep <= now) {
            Persona persona = personas.poll();
            persona.step(this::enqueue);
            personas.add(persona);
        }
        List<DemoRecord> batch = new ArrayList<>();
        while (!pending.isEmpty() && pending.peek().due() <= now) {
            batch.add(pending.poll().record());
        }
        return batch;
    }

    /** Queues an ordinary record and, by chance, its duplicate, a crawler's record or a bad record. */
    private void emit(SimUser user, DemoRecord record, Instant eventTime, long maxDelayMs) {
        long t = eventTime.toEpochMilli();
        long due = t + (long) (random.nextDouble() * maxDelayMs);
        enqueue(due, record);
        if (random.nextDouble() < DUPLICATE_RATE) {
            enqueue(due + (long) (random.nextDouble() * MAX_RESEND_DELAY_MS), record);
        }
        if (random.nextDouble() < BOT_RATE) {
            SimUser bot = Taxonomy.pick(bots, random);
            bot.jumpToRandomItem(random);
            enqueue(t, clickRecord(bot, bot.view(t).build()));
        }
        if (random.nextDouble() < BAD_RATE) {
            enqueue(t, badRecord(user, t));
        }
    }

    /** One of the six kinds of bad record, each a dead letter for the job (DESIGN.md section 3; README, Bad input). */
    private DemoRecord badRecord(SimUser user, long t) {
        return switch (random.nextInt(6)) {
            case 0 ->
                new DemoRecord(
                        random.nextBoolean() ? DemoRecord.CLICKSTREAM : DemoRecord.DWELL_TIME, user.id, garbage());
            case 1 ->
                dwellRecord(user, user.dwell(t, -1_000 - random.nextInt(60_000)).build());
            case 2 ->
                dwellRecord(
                        user,
                        user.dwell(t, FOUR_HOURS_MS + 60_000 + random.nextInt(7_200_000))
                                .build());
            case 3 -> clickRecord(user, user.view(t + FUTURE_MS).build());
            case 4 ->
                clickRecord(
                        user,
                        user.view(t)
                                .setTopics(List.of("x".repeat(OVERSIZE_TOPIC_CHARS)))
                                .build());
            default ->
                clickRecord(user, user.view(t).setTimeZone(INVALID_TIME_ZONE).build());
        };
    }

    /** 4-24 random bytes that do not start with the single-object marker {@code C3}. */
    private byte[] garbage() {
        byte[] bytes = new byte[4 + random.nextInt(21)];
        random.nextBytes(bytes);
        if (bytes[0] == (byte) 0xC3) {
            bytes[0] = 0x00;
        }
        return bytes;
    }

    private void enqueue(long due, DemoRecord record) {
        pending.add(new Pending(due, order++, record));
    }

    private static DemoRecord clickRecord(SimUser user, ClickEvent event) {
        return new DemoRecord(DemoRecord.CLICKSTREAM, user.id, encode(event::toByteBuffer));
    }

    private static DemoRecord dwellRecord(SimUser user, DwellEvent event) {
        return new DemoRecord(DemoRecord.DWELL_TIME, user.id, encode(event::toByteBuffer));
    }

    /** Single-object encoding, as the generated {@code toByteBuffer()} writes it. */
    static byte[] encode(Encoding encoding) {
        try {
            ByteBuffer buffer = encoding.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Encoding {
        ByteBuffer toByteBuffer() throws IOException;
    }

    private record Pending(long due, long order, DemoRecord record) {}
}
