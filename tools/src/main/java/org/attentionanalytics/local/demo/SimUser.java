package org.attentionanalytics.local.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.EventType;

/**
 * One simulated person (or crawler) and the state machine of their browsing. Each {@link #step}
 * happens at {@link #nextStep} (ms since epoch, UTC), emits zero or more events with that event
 * time and schedules the next step:
 *
 * <pre>
 * PAUSED --session start--> [SEARCH] NEXT_VIEW --VIEW--> READING --dwell heartbeat every 5-15 s--> READING
 * READING --read done--> CHOOSING --[ADD_TO_CART] [SEARCH | CLICK]--> NEXT_VIEW
 * CHOOSING --session end, [PURCHASE]--> PAUSED (3-28 min, or 31 min and more)
 * </pre>
 *
 * Every fourth person's site runs a Snowplow-style tracker: their VIEWs carry a page-view id and
 * their heartbeats are page pings ({@code kind} HEARTBEAT with that {@code view_id}, no {@code
 * dwell_ms}, none while the tab is in the background), which the job counts in 10-s buckets; the
 * others send dwell increments.
 */
final class SimUser {
    /** Receives the events a step produces. */
    interface Out {
        void click(SimUser user, ClickEvent event);

        void dwell(SimUser user, DwellEvent event);
    }

    private enum Phase {
        PAUSED,
        NEXT_VIEW,
        READING,
        CHOOSING
    }

    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final List<String> EXTERNAL_REFERRERS = List.of(
            "https://www.google.com/", "https://news.google.com/", "https://t.co/", "https://www.facebook.com/");

    final String id;
    final String userAgent;
    private final String deviceId;
    private final String ip;
    private final String timeZone;
    private final int[] favourites;
    private final boolean skimmer;
    private final double endProbability;
    private final Pacing pacing;
    /** Sends page pings with page-view ids instead of dwell increments (a Snowplow-style tracker). */
    private boolean pings;

    long nextStep;
    private long seq;
    private Phase phase = Phase.PAUSED;
    private int topic;
    private int item;
    private String url;
    private String referrer;
    private long readLeftMs;
    private long readTotalMs;
    private long beatMs;
    private int scrollTarget;
    private boolean addedToCart;
    private int cartTopic = -1;
    private int cartItem;
    /** The current view's page-view id, for a person whose site sends page pings; else null. */
    private String viewId;

    private String eventIdPrefix = "demo-";

    private SimUser(
            String id,
            String userAgent,
            String deviceId,
            String ip,
            String timeZone,
            int[] favourites,
            boolean skimmer,
            double endProbability,
            Pacing pacing) {
        this.id = id;
        this.userAgent = userAgent;
        this.deviceId = deviceId;
        this.ip = ip;
        this.timeZone = timeZone;
        this.favourites = favourites;
        this.skimmer = skimmer;
        this.endProbability = endProbability;
        this.pacing = pacing;
        this.topic = favourites[0];
    }

    /**
     * A person: 2-4 favourite topics; about 10% are skimmers (many short views across topics), 5%
     * have very long sessions, 8% send a {@code time_zone}.
     *
     * @param firstSessionAt when the first session starts, ms since epoch
     */
    static SimUser person(int number, Random r, long firstSessionAt, Pacing pacing) {
        int[] favourites = r.ints(2 + r.nextInt(3), 0, Taxonomy.TOPICS.size()).toArray();
        double kind = r.nextDouble();
        boolean skimmer = kind < 0.10;
        double endProbability = skimmer ? 0.02 : kind < 0.15 ? 0.012 : 0.08;
        SimUser u = new SimUser(
                String.format("user-%04d", number),
                Taxonomy.pick(Taxonomy.BROWSERS, r),
                new UUID(r.nextLong(), r.nextLong()).toString(),
                ipAddress(r),
                r.nextDouble() < 0.08 ? Taxonomy.pick(Taxonomy.TIME_ZONES, r) : null,
                favourites,
                skimmer,
                endProbability,
                pacing);
        u.nextStep = firstSessionAt;
        u.pings = number % 4 == 3; // by number, not by draw: the other people's traffic stays as it was
        return u;
    }

    /** A crawler or headless browser: only {@link #view}s, driven by the caller. */
    static SimUser bot(int number, Random r) {
        return new SimUser(
                String.format("bot-%03d", number),
                Taxonomy.pick(Taxonomy.BOTS, r),
                null,
                ipAddress(r),
                null,
                new int[] {0},
                false,
                1,
                null);
    }

    /** Runs the step due at {@link #nextStep} and schedules the next one. */
    void step(Random r, Out out) {
        long t = nextStep;
        switch (phase) {
            case PAUSED -> startSession(t, r, out);
            case NEXT_VIEW -> startView(t, r, out);
            case READING -> heartbeat(t, r, out);
            case CHOOSING -> choose(t, r, out);
        }
    }

    /** A VIEW of the current item at {@code t}: the base of the bad and bot records. */
    ClickEvent.Builder view(long t) {
        return click(EventType.VIEW, t)
                .setItemId(Taxonomy.itemId(topic, item))
                .setTopics(Taxonomy.topicsOf(topic, item))
                .setUrl(url);
    }

    /** A dwell heartbeat on the current item ending at {@code t}. */
    DwellEvent.Builder dwell(long t, long dwellMs) {
        return DwellEvent.newBuilder()
                .setEventId(nextEventId())
                .setUserId(id)
                .setEventTime(Instant.ofEpochMilli(t))
                .setItemId(Taxonomy.itemId(topic, item))
                .setDwellMs(dwellMs)
                .setTopics(Taxonomy.topicsOf(topic, item))
                .setTimeZone(timeZone)
                .setUserAgent(userAgent)
                .setVisible(true);
    }

    /** Moves the user to a random item (used for crawlers, which jump around). */
    void jumpToRandomItem(Random r) {
        topic = r.nextInt(Taxonomy.TOPICS.size());
        item = Taxonomy.popularItem(r);
        url = Taxonomy.url(topic, item, r);
    }

    private void startSession(long t, Random r, Out out) {
        referrer = r.nextInt(4) == 0 ? null : Taxonomy.pick(EXTERNAL_REFERRERS, r);
        if (r.nextDouble() < 0.15) {
            search(t, r, out);
        } else {
            chooseItem(chooseTopic(r), r);
            startView(t, r, out);
        }
    }

    private void startView(long t, Random r, Out out) {
        viewId = pings
                ? UUID.nameUUIDFromBytes((id + "/" + eventIdPrefix + seq).getBytes(StandardCharsets.UTF_8))
                        .toString()
                : null;
        out.click(this, view(t).setReferrer(referrer).setViewId(viewId).build());
        readTotalMs = readTime(r);
        readLeftMs = readTotalMs;
        scrollTarget = 20 + r.nextInt(81);
        addedToCart = false;
        phase = Phase.READING;
        scheduleBeat(t, r);
    }

    private void heartbeat(long t, Random r, Out out) {
        if (r.nextDouble() < 0.03) { // the tab was in the background: nothing engaged (and no page ping)
            if (!pings) {
                out.dwell(
                        this,
                        dwell(t, 0)
                                .setVisible(false)
                                .setScrollDepthPct(scroll())
                                .build());
            }
            scheduleBeat(t, r);
            return;
        }
        readLeftMs -= beatMs;
        DwellEvent.Builder beat = dwell(t, beatMs).setScrollDepthPct(scroll());
        if (pings) {
            beat.setKind(DwellKind.HEARTBEAT).setDwellMs(null).setViewId(viewId);
        }
        out.dwell(this, beat.build());
        if (readLeftMs > 0) {
            scheduleBeat(t, r);
        } else {
            phase = Phase.CHOOSING;
            nextStep = t + (skimmer ? uniform(r, 500, 3 * SECOND) : uniform(r, SECOND, 12 * SECOND));
        }
    }

    private void choose(long t, Random r, Out out) {
        if (r.nextDouble() < endProbability) {
            endSession(t, r, out);
            return;
        }
        if (!Taxonomy.isNews(topic) && !addedToCart && r.nextDouble() < 0.12) {
            addedToCart = true;
            cartTopic = topic;
            cartItem = item;
            out.click(this, view(t).setEventType(EventType.ADD_TO_CART).build());
            nextStep = t + uniform(r, SECOND, 5 * SECOND);
            return;
        }
        double x = r.nextDouble();
        if (x < 0.10) {
            search(t, r, out);
            return;
        }
        String from = url;
        chooseItem(chooseTopic(r), r);
        phase = Phase.NEXT_VIEW;
        if (x < 0.45) { // a link or recommendation on the page, then its VIEW
            out.click(
                    this,
                    view(t).setEventType(EventType.CLICK).setReferrer(from).build());
            referrer = from;
            nextStep = t + uniform(r, 300, 1_500);
        } else { // back to the front page, then the next article or product
            referrer = url.substring(0, url.indexOf('/', "https://".length()) + 1);
            nextStep = t + uniform(r, 2 * SECOND, 8 * SECOND);
        }
    }

    private void search(long t, Random r, Out out) {
        int searched = chooseTopic(r);
        String query = Taxonomy.searchQuery(searched, r);
        out.click(
                this,
                click(EventType.SEARCH, t)
                        .setSearchQuery(query)
                        .setTopics(List.of(Taxonomy.TOPICS.get(searched)))
                        .setReferrer(referrer)
                        .build());
        chooseItem(searched, r);
        referrer = Taxonomy.searchUrl(searched, query);
        phase = Phase.NEXT_VIEW;
        nextStep = t + uniform(r, 2 * SECOND, 6 * SECOND);
    }

    private void endSession(long t, Random r, Out out) {
        if (cartTopic >= 0 && r.nextDouble() < 0.35) {
            topic = cartTopic;
            item = cartItem;
            url = Taxonomy.url(topic, item, r);
            out.click(this, view(t).setEventType(EventType.PURCHASE).build());
        }
        cartTopic = -1;
        phase = Phase.PAUSED;
        nextStep = t + pacing.pause(r);
    }

    private ClickEvent.Builder click(EventType type, long t) {
        return ClickEvent.newBuilder()
                .setEventId(nextEventId())
                .setUserId(id)
                .setEventTime(Instant.ofEpochMilli(t))
                .setEventType(type)
                .setTopics(List.of())
                .setDeviceId(deviceId)
                .setUserAgent(userAgent)
                .setIp(ip)
                .setTimeZone(timeZone);
    }

    /**
     * @param prefix the start of this user's event ids ({@link DemoTraffic#eventIdPrefix}): ids are
     *     the prefix and a sequence number, nothing of the user id
     * @return this
     */
    SimUser withEventIdPrefix(String prefix) {
        this.eventIdPrefix = prefix;
        return this;
    }

    /** The next event id: the prefix, then a sequence number. */
    private String nextEventId() {
        return eventIdPrefix + seq++;
    }

    private int chooseTopic(Random r) {
        double loyalty = skimmer ? 0.3 : 0.75;
        return r.nextDouble() < loyalty ? favourites[r.nextInt(favourites.length)] : r.nextInt(Taxonomy.TOPICS.size());
    }

    private void chooseItem(int newTopic, Random r) {
        topic = newTopic;
        item = Taxonomy.popularItem(r);
        url = Taxonomy.url(topic, item, r);
    }

    /** Engaged read time of a view: short (1-9 s) for skims, else log-normal around 35 s, 3 s to 15 min. */
    private long readTime(Random r) {
        if (r.nextDouble() < (skimmer ? 0.85 : 0.2)) {
            return uniform(r, SECOND, 9 * SECOND);
        }
        double ms = Math.exp(Math.log(35_000) + 0.9 * r.nextGaussian());
        return Math.max(3 * SECOND, Math.min(15 * MINUTE, (long) ms));
    }

    private void scheduleBeat(long t, Random r) {
        beatMs = Math.min(uniform(r, 5 * SECOND, 15 * SECOND), readLeftMs);
        nextStep = t + beatMs;
    }

    private int scroll() {
        return (int) (scrollTarget * (readTotalMs - readLeftMs) / Math.max(1, readTotalMs));
    }

    private static long uniform(Random r, long fromMs, long toMs) {
        return fromMs + (long) (r.nextDouble() * (toMs - fromMs));
    }

    /** A documentation address (RFC 5737 / RFC 3849): realistic shape, nobody's real address. */
    private static String ipAddress(Random r) {
        return r.nextInt(5) == 0
                ? String.format("2001:db8:%x::%x", r.nextInt(0x10000), 1 + r.nextInt(0xfffe))
                : List.of("192.0.2.", "198.51.100.", "203.0.113.").get(r.nextInt(3)) + (1 + r.nextInt(254));
    }
}
