package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.CatalogUpdate;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.interest.CatalogDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds every door many thousands of records mutated from valid ones (truncated, bit flips,
 * inserted and deleted bytes, huge varint counts and lengths, random bytes, other doors' records,
 * concatenations; for JSON also deep nesting, long strings and values of the wrong type), with a
 * fixed seed, and asserts that each yields exactly one event, dead letter or bot marker (the
 * catalog: an update or a dead letter), that no failure was left unclassified (no {@code
 * unexpected} detail from the doors' last-resort catch), that no record made the door allocate
 * more than {@link #allocationBound} bytes (after one pass over the valid records, which builds the
 * readers of each writer schema once), and that every dead letter fits the dead-letter topic.
 */
class DoorFuzzTest {
    /** Fixed, so a failure can be replayed; printed with the count. */
    static final long SEED = 13;

    static final int PER_DOOR = 4_000;
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();
    static final Instant T = Instant.ofEpochMilli(NOW - 60_000);

    @TempDir
    static Path dir;
    /** False while the warm-up decodes the valid records: those are not counted. */
    static boolean counting;

    static String keyFile;

    @BeforeAll
    static void key() throws Exception {
        keyFile = dir.resolve("key").toString();
        Files.writeString(Path.of(keyFile), "fuzz-key");
    }

    /** Most bytes one decode may allocate: a fixed allowance plus 40 bytes per input byte. */
    static long allocationBound(int inputBytes) {
        return 2_000_000L + 40L * inputBytes;
    }

    static List<byte[]> avroSeeds() {
        List<SpecificRecordBase> records = List.of(
                ClickEvent.newBuilder()
                        .setEventId("e-1")
                        .setUserId("alice")
                        .setEventTime(T)
                        .setEventType(EventType.VIEW)
                        .setItemId("item-1")
                        .setTopics(List.of("news.politics", "sports"))
                        .setUrl("https://x.example/a?q=1")
                        .setReferrer("https://r.example/")
                        .setSearchQuery("q")
                        .setDeviceId("d")
                        .setUserAgent("Mozilla/5.0")
                        .setIp("10.0.0.1")
                        .setTimeZone("Europe/Berlin")
                        .build(),
                ClickEvent.newBuilder()
                        .setEventId("e-2")
                        .setUserId("bob")
                        .setEventTime(T)
                        .setEventType(EventType.PURCHASE)
                        .build(),
                DwellEvent.newBuilder()
                        .setEventId("d-1")
                        .setUserId("alice")
                        .setEventTime(T)
                        .setItemId("item-1")
                        .setDwellMs(12_000L)
                        .setScrollDepthPct(50)
                        .setVisible(true)
                        .setTopics(List.of("news"))
                        .setTimeZone("UTC")
                        .setUserAgent("Mozilla/5.0")
                        .build(),
                AttentionBudget.newBuilder()
                        .setUserId("alice")
                        .setTimeZone("Europe/Berlin")
                        .setBudgets(Map.of("news", 30L, "shopping", 15L))
                        .setAlertsEnabled(false)
                        .setUpdatedAt(T)
                        .build(),
                org.attentionanalytics.avro.FocusBlocks.newBuilder()
                        .setUserId("alice")
                        .setTimeZone("Europe/Berlin")
                        .setBlocks(List.of(
                                org.attentionanalytics.avro.FocusBlock.newBuilder()
                                        .setName("mornings")
                                        .setDays(List.of(org.attentionanalytics.avro.Weekday.MONDAY))
                                        .setLocalStart("09:00")
                                        .setLocalEnd("11:00")
                                        .setFocusCategories(List.of("technology"))
                                        .setPomodoro(org.attentionanalytics.avro.PomodoroCadence.newBuilder()
                                                .build())
                                        .build(),
                                org.attentionanalytics.avro.FocusBlock.newBuilder()
                                        .setName("review")
                                        .setStart(T)
                                        .setEnd(T.plusSeconds(3600))
                                        .build()))
                        .setUpdatedAt(T)
                        .build(),
                ErasureRequest.newBuilder()
                        .setRequestId("r-1")
                        .setUserId("alice")
                        .setRequestedAt(T)
                        .build(),
                ContentProfile.newBuilder()
                        .setItemId("item-1")
                        .setTopics(Map.of("news", 1.0, "sports", 0.5))
                        .setTitle("t")
                        .setUpdatedAt(T)
                        .build());
        List<byte[]> out = new ArrayList<>();
        records.forEach(r -> out.add(AvroRecordSerializer.encode(r)));
        return out;
    }

    static List<byte[]> jsonSeeds() {
        return List.of(
                        "{\"event_id\": \"e-1\", \"user_id\": \"alice\", \"event_time\": \"2025-01-06T11:59:00Z\", \"event_type\": \"VIEW\", \"item_id\": \"i\", \"topics\": [\"news\", \"sports\"], \"time_zone\": \"Europe/Berlin\", \"dwell_ms\": 12000, \"scroll_depth_pct\": 40, \"visible\": true}",
                        "{\"event_id\": \"e-2\", \"user_id\": \"bob\", \"event_time\": 1736164740000, \"dwell_ms\": 5000}",
                        "{\"user_id\": \"alice\", \"budgets\": {\"news\": 30, \"shopping\": 15}, \"time_zone\": \"UTC\", \"alerts_enabled\": true, \"updated_at\": 1736164740000}",
                        "{\"user_id\": \"alice\", \"time_zone\": \"Europe/Berlin\", \"updated_at\": 1736164740000, \"blocks\": [{\"name\": \"mornings\", \"days\": [\"MONDAY\"], \"local_start\": \"09:00\", \"local_end\": \"11:00\", \"focus_categories\": [\"technology\"], \"pomodoro\": {\"work_minutes\": 25}}, {\"name\": \"review\", \"start\": \"2025-01-06T11:59:00Z\", \"end\": \"2025-01-06T12:59:00Z\"}]}",
                        "{\"request_id\": \"r-1\", \"user_id\": \"alice\", \"requested_at\": \"2025-01-06T11:59:00Z\"}",
                        "{\"item_id\": \"item-1\", \"topics\": {\"news\": 1.0, \"sports\": 0.5}, \"title\": \"t\"}")
                .stream()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    /** One mutation of {@code seed}, chosen by {@code rnd}; {@code others} are other doors' valid records. */
    static byte[] mutate(byte[] seed, List<byte[]> others, Random rnd, boolean json) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(json ? 12 : 9)) {
            case 0 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncated
            case 1 -> {
                for (int i = 1 + rnd.nextInt(8); i > 0; i--) { // bit flips
                    int p = rnd.nextInt(b.length);
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 2 -> { // inserted random bytes
                int p = rnd.nextInt(b.length + 1);
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                b = concat(Arrays.copyOf(b, p), ins, Arrays.copyOfRange(seed, p, seed.length));
            }
            case 3 -> { // deleted range
                int p = rnd.nextInt(b.length);
                int q = Math.min(b.length, p + 1 + rnd.nextInt(8));
                b = concat(Arrays.copyOf(b, p), Arrays.copyOfRange(b, q, b.length));
            }
            case 4 -> { // a huge varint (count or length) written over the bytes at a random place
                long[] huge = {
                    1L << 31, (1L << 31) - 1, Long.MAX_VALUE, -1, Long.MIN_VALUE, 1L << 40, Integer.MAX_VALUE * 4L
                };
                byte[] v = zigzag(huge[rnd.nextInt(huge.length)]);
                int p = 10 + rnd.nextInt(Math.max(1, b.length - 10));
                b = concat(
                        Arrays.copyOf(b, Math.min(p, b.length)),
                        v,
                        Arrays.copyOfRange(b, Math.min(b.length, p + v.length), b.length));
            }
            case 5 -> { // random bytes, half of them framed like single-object encoding
                b = new byte[rnd.nextInt(200)];
                rnd.nextBytes(b);
                if (b.length > 10 && rnd.nextBoolean()) {
                    System.arraycopy(seed, 0, b, 0, Math.min(10, seed.length));
                }
            }
            case 6 -> b = others.get(rnd.nextInt(others.size())).clone(); // another door's record
            case 7 -> b = concat(seed, others.get(rnd.nextInt(others.size()))); // trailing bytes
            case 8 -> b = rnd.nextBoolean() ? new byte[0] : null; // empty, or no value at all
            case 9 -> { // deep nesting
                int depth = 1 + rnd.nextInt(5_000);
                b = ("{\"event_id\": " + "[".repeat(depth) + "]".repeat(rnd.nextBoolean() ? depth : 0) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 10 -> { // a long string in a random field
                String[] fields = {"event_id", "user_id", "item_id", "time_zone", "user_agent", "request_id", "topics"};
                String f = fields[rnd.nextInt(fields.length)];
                String v = "x".repeat(rnd.nextInt(300_000));
                String s = new String(seed, StandardCharsets.UTF_8);
                b = s.replaceFirst("\\{", "{\"" + f + "\": \"" + v + "\", ").getBytes(StandardCharsets.UTF_8);
            }
            default -> { // a value of the wrong type or out of range
                String[] values = {
                    "null",
                    "true",
                    "[]",
                    "{}",
                    "-1",
                    "1e400",
                    "99999999999999999999999",
                    "\"+300000000-01-01T00:00:00Z\"",
                    "\"not a time\"",
                    "-9223372036854775808",
                    "1.5",
                    "\"\\u0000\""
                };
                String s = new String(seed, StandardCharsets.UTF_8);
                String[] parts = s.split(": ", -1);
                int i = 1 + rnd.nextInt(Math.max(1, parts.length - 1));
                if (i < parts.length) {
                    int end = parts[i].indexOf(',');
                    String rest = end < 0
                            ? parts[i].substring(Math.max(0, parts[i].lastIndexOf('}')))
                            : parts[i].substring(end);
                    parts[i] = values[rnd.nextInt(values.length)] + rest;
                }
                b = String.join(": ", parts).getBytes(StandardCharsets.UTF_8);
            }
        }
        return b;
    }

    @Test
    void everyMutatedRecordIsAnEventADeadLetterOrABotAndNothingElse() {
        Random rnd = new Random(SEED);
        List<byte[]> avro = avroSeeds();
        List<byte[]> json = jsonSeeds();
        Map<String, long[]> outcomes = new TreeMap<>();
        AvroRecordSerializer<DeadLetter> dlq = new AvroRecordSerializer<>(
                "attention-dlq", x -> "k", x -> x, RecordSizeLimit.DEFAULT_MAX_REQUEST_SIZE, null);
        for (InputFormat format : List.of(InputFormat.AVRO, InputFormat.JSON)) { // auto reads one of these per record
            boolean isJson = format == InputFormat.JSON;
            List<byte[]> seeds = isJson ? json : avro;
            Map<String, DoorDecoder> doors = new java.util.LinkedHashMap<>();
            doors.put(
                    "ClickDoor", Doors.event(EventKind.CLICK, new DoorSettings(format, 600_000, keyFile, null, true)));
            doors.put(
                    "DwellDoor", Doors.event(EventKind.DWELL, new DoorSettings(format, 600_000, keyFile, null, false)));
            doors.put(
                    "BudgetDoor",
                    Doors.control(EventKind.BUDGET, new DoorSettings(format, 600_000, keyFile, null, true)));
            doors.put(
                    "FocusBlocksDoor",
                    Doors.control(EventKind.FOCUS_BLOCKS, new DoorSettings(format, 600_000, keyFile, null, true)));
            doors.put(
                    "ErasureDoor",
                    Doors.control(EventKind.ERASURE, new DoorSettings(format, 600_000, keyFile, null, true)));
            for (Map.Entry<String, DoorDecoder> named : doors.entrySet()) {
                DoorDecoder door = named.getValue();
                door.open();
                String name = named.getKey() + "-" + format;
                long[] counts = outcomes.computeIfAbsent(name, k -> new long[3]);
                fuzz(
                        seeds,
                        rnd,
                        isJson,
                        value -> {
                            SourceRecord r =
                                    door.decode("t", 0, 1, "alice".getBytes(StandardCharsets.UTF_8), value, NOW);
                            assertThat(r).as("%s on %s", name, describe(value)).isNotNull();
                            int set = (r.getEvent() != null ? 1 : 0)
                                    + (r.getDeadLetter() != null ? 1 : 0)
                                    + (r.getBot() ? 1 : 0);
                            assertThat(set)
                                    .as("exactly one of event, dead letter, bot: %s on %s", name, describe(value))
                                    .isEqualTo(1);
                            if (counting) {
                                counts[r.getEvent() != null ? 0 : r.getDeadLetter() != null ? 1 : 2]++;
                            }
                            return r.getDeadLetter();
                        },
                        dlq,
                        name);
            }
        }
        CatalogDeserializer catalog = new CatalogDeserializer();
        for (boolean isJson : new boolean[] {false, true}) {
            String name = "CatalogDeserializer-" + (isJson ? "JSON" : "AVRO");
            long[] counts = outcomes.computeIfAbsent(name, k -> new long[3]);
            fuzz(
                    isJson ? json : avro,
                    rnd,
                    isJson,
                    value -> {
                        CatalogUpdate u = catalog.decode(
                                "k".getBytes(StandardCharsets.UTF_8), value, "content-catalog", 0, 1, NOW);
                        assertThat(u).isNotNull();
                        assertThat(u.getDeadLetter() != null || !u.getItemId().isEmpty())
                                .as("an update or a dead letter")
                                .isTrue();
                        if (counting) {
                            counts[u.getDeadLetter() == null ? 0 : 1]++;
                        }
                        return u.getDeadLetter();
                    },
                    dlq,
                    name);
        }
        long total =
                outcomes.values().stream().mapToLong(c -> c[0] + c[1] + c[2]).sum();
        System.out.printf(
                "DoorFuzzTest: seed %d, %d mutated records (%d per door and format); events / dead letters / bots:%n",
                SEED, total, PER_DOOR);
        outcomes.forEach((k, c) -> System.out.printf("  %-26s %6d %6d %6d%n", k, c[0], c[1], c[2]));
        assertThat(total).isEqualTo(12L * PER_DOOR); // 5 doors and the catalog, in Avro and JSON
    }

    private static void fuzz(
            List<byte[]> seeds,
            Random rnd,
            boolean json,
            Function<byte[], DeadLetter> decode,
            AvroRecordSerializer<DeadLetter> dlq,
            String name) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        counting = false;
        seeds.forEach(decode::apply); // warm-up: readers are built once per writer schema, not per record
        counting = true;
        for (int i = 0; i < PER_DOOR; i++) {
            byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] value = mutate(seed, seeds, rnd, json);
            long before = threads.getThreadAllocatedBytes(thread);
            DeadLetter dl = decode.apply(value);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            int length = value == null ? 0 : value.length;
            assertThat(allocated)
                    .as("bytes allocated by %s on %s", name, describe(value))
                    .isLessThan(allocationBound(length));
            if (dl != null) {
                assertThat(dl.getDetail()).as("%s on %s", name, describe(value)).doesNotStartWith("unexpected");
                var written = dlq.serialize(dl, null, null);
                assertThat(written).isNotNull();
                assertThat(written.value().length).isLessThanOrEqualTo(RecordSizeLimit.DEFAULT_MAX_REQUEST_SIZE);
            }
        }
    }

    private static String describe(byte[] value) {
        if (value == null) {
            return "null";
        }
        byte[] head = Arrays.copyOf(value, Math.min(value.length, 48));
        return value.length + " bytes starting " + java.util.HexFormat.of().formatHex(head);
    }

    private static byte[] zigzag(long v) {
        long z = (v << 1) ^ (v >> 63);
        byte[] out = new byte[10];
        int n = 0;
        while ((z & ~0x7FL) != 0) {
            out[n++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        out[n++] = (byte) z;
        return Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
