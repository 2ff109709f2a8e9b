package org.attentionanalytics.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.job.KafkaClientCommand;
import org.attentionanalytics.replay.ControlCsv;
import org.attentionanalytics.replay.FocusBlockFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention focus-block --user-id ID --block SPEC ...}: declares a user's focus blocks
 * (DESIGN.md section 13) by sending one {@link FocusBlocks} with all of them to {@code
 * focus-blocks}, keyed by the raw user id, Avro single-object encoded (or JSON with {@code --format
 * json}). The record replaces the user's previous blocks from its {@code updated_at} on, so give
 * every block each time (none: the user has no blocks any more). A SPEC is {@code NAME,KEY=VALUE,...}
 * (see {@link #block}). Prints one line with what was sent and where. Exit codes: 0 sent; 2
 * invalid options; 1 Kafka failed.
 */
@Command(
        name = "focus-block",
        mixinStandardHelpOptions = true,
        version = "Attention Analytics 0.1.0",
        sortOptions = false,
        description = {
            "Send a user's focus blocks (one-off or weekly, with focus categories and a pomodoro cadence) to the "
                    + "focus-blocks topic (keyed by the raw user id), replacing the user's previous blocks.",
            "Kafka client properties: --kafka.<property>=<value>."
        })
public class FocusBlockCommand implements Callable<Integer>, KafkaClientCommand {
    private static final FocusBlockFields.Names NAMES = new FocusBlockFields.Names("from=", "to=", "days=", "at=");
    private static final Set<String> KEYS = Set.of("from", "to", "days", "at", "focus", "pomodoro");

    @Spec
    CommandSpec spec;

    @Mixin
    ControlRecordOptions target = new ControlRecordOptions();

    @Option(
            names = "--block",
            paramLabel = "SPEC",
            description = {
                "A focus block (repeat for each): NAME then comma-separated KEY=VALUE. One-off: from=TIME,to=TIME "
                        + "(epoch ms or ISO-8601). Weekly: days=MON+TUE+...,at=HH:mm-HH:mm (local times; an end at or "
                        + "before the start is on the next day). Optional: focus=CATEGORY+... (default: the rules' "
                        + "focus-class categories), pomodoro=WORK/SHORT/LONG/CYCLES minutes (pomodoro alone: 25/5/15/4).",
                "e.g. --block deep-work,from=2026-12-07T09:00:00Z,to=2026-12-07T11:00:00Z "
                        + "--block mornings,days=MON+TUE+WED,at=09:00-11:00,focus=technology+business,pomodoro"
            })
    List<String> blocks = new ArrayList<>();

    @Option(
            names = "--time-zone",
            paramLabel = "ZONE",
            description =
                    "IANA time zone of the weekly blocks' local times (e.g. Europe/Copenhagen). Default: none (the user's zone).")
    String timeZone;

    @Option(
            names = "--updated-at",
            paramLabel = "TIME",
            description =
                    "Event time from which the blocks apply: epoch ms or ISO-8601 (Z, an offset, or UTC without). Default: now.")
    String updatedAt;

    @Option(
            names = "--topic.focus-blocks",
            defaultValue = "focus-blocks",
            paramLabel = "TOPIC",
            description = "Topic of FocusBlocks. Default: ${DEFAULT-VALUE}")
    String topic;

    @Override
    public void addKafkaProperties(Map<String, String> properties) {
        target.kafkaProperties.putAll(properties);
    }

    /**
     * The record this command sends (without sending it).
     *
     * @param now the default {@code updated_at}
     * @throws ParameterException for an empty user id, an invalid zone or time, an invalid block
     *     ({@link #block}), or two blocks of the same name
     */
    FocusBlocks focusBlocks(Instant now) {
        String userId = target.userId(spec);
        if (timeZone != null && !org.attentionanalytics.io.TimeZones.isIana(timeZone)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--time-zone: '" + timeZone + "' is not an IANA zone id (e.g. Europe/Copenhagen)");
        }
        List<FocusBlock> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String text : blocks) {
            FocusBlock b;
            try {
                b = block(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--block " + text + ": " + e.getMessage());
            }
            if (!names.add(b.getName())) {
                throw new ParameterException(
                        spec.commandLine(), "--block " + text + ": a block named '" + b.getName() + "' is given twice");
            }
            out.add(b);
        }
        FocusBlocks record = FocusBlocks.newBuilder()
                .setUserId(userId)
                .setTimeZone(timeZone)
                .setBlocks(out)
                .setUpdatedAt(updatedAt == null ? now : ControlRecordOptions.time(spec, "--updated-at", updatedAt))
                .build();
        try {
            return FocusBlockFields.checkRecord(record);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--block: " + e.getMessage());
        }
    }

    /**
     * Parses one {@code --block} SPEC: {@code NAME,KEY=VALUE,...} with keys {@code from}, {@code to}
     * (one-off), {@code days}, {@code at} (weekly), {@code focus} and {@code pomodoro} (optional; a
     * bare {@code pomodoro} is 25/5/15/4), each at most once.
     *
     * @throws IllegalArgumentException for an empty name, an unknown or repeated key, a bad value,
     *     or a block that is not exactly one of one-off and weekly ({@link FocusBlockFields#check})
     */
    static FocusBlock block(String spec) {
        String[] parts = spec.split(",", -1);
        String name = parts[0].strip();
        if (name.isEmpty() || name.contains("=")) {
            throw new IllegalArgumentException("expected NAME,KEY=VALUE,... with the block's name first");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            int eq = part.indexOf('=');
            String key = (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : part.substring(eq + 1).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown key '" + key + "' (known: from, to, days, at, focus, pomodoro)");
            }
            if (values.containsKey(key)) {
                throw new IllegalArgumentException(key + "= given twice");
            }
            if (value == null && !key.equals("pomodoro")) {
                throw new IllegalArgumentException(key + " needs a value: " + key + "=...");
            }
            values.put(key, value);
        }
        FocusBlock.Builder b = FocusBlock.newBuilder().setName(name);
        if (values.containsKey("from")) {
            b.setStart(time("from", values.get("from")));
        }
        if (values.containsKey("to")) {
            b.setEnd(time("to", values.get("to")));
        }
        if (values.containsKey("days")) {
            b.setDays(FocusBlockFields.days(values.get("days")));
        }
        if (values.containsKey("at")) {
            String[] at = values.get("at").split("-", -1);
            if (at.length != 2) {
                throw new IllegalArgumentException("at '" + values.get("at") + "' is not HH:mm-HH:mm");
            }
            b.setLocalStart(FocusBlockFields.localTime("at start", at[0].strip()));
            b.setLocalEnd(FocusBlockFields.localTime("at end", at[1].strip()));
        }
        if (values.containsKey("focus")) {
            b.setFocusCategories(FocusBlockFields.categories(values.get("focus")));
        }
        if (values.containsKey("pomodoro")) {
            String p = values.get("pomodoro");
            b.setPomodoro(p == null ? FocusBlockFields.defaultPomodoro() : FocusBlockFields.pomodoro(p));
        }
        return FocusBlockFields.check(b.build(), NAMES);
    }

    private static Instant time(String key, String text) {
        try {
            return ControlCsv.time(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=: " + e.getMessage(), e);
        }
    }

    /** {@code mornings MON+TUE 09:00-11:00 focus a+b pomodoro 25/5/15/4}, as the printed line shows a block. */
    static String describe(FocusBlock b) {
        StringBuilder s = new StringBuilder(b.getName()).append(' ');
        if (b.getStart() != null) {
            s.append(b.getStart()).append("..").append(b.getEnd());
        } else {
            s.append(FocusBlockFields.format(b.getDays()))
                    .append(' ')
                    .append(b.getLocalStart())
                    .append('-')
                    .append(b.getLocalEnd());
        }
        if (!b.getFocusCategories().isEmpty()) {
            s.append(" focus ").append(String.join("+", b.getFocusCategories()));
        }
        if (b.getPomodoro() != null) {
            s.append(" pomodoro ").append(FocusBlockFields.format(b.getPomodoro()));
        }
        return s.toString();
    }

    @Override
    public Integer call() throws Exception {
        FocusBlocks record = focusBlocks(Instant.now());
        List<String> known = CategoryRules.defaults().categories();
        record.getBlocks().stream()
                .flatMap(b -> b.getFocusCategories().stream())
                .distinct()
                .filter(c -> !known.contains(c))
                .forEach(c -> spec.commandLine()
                        .getErr()
                        .printf(
                                "focus-block: warning: '%s' is not a category of the default rules (%s); "
                                        + "it only ever counts if the job runs with --category-rules that define it%n",
                                c, String.join(", ", known)));
        RecordMetadata at = target.send(spec, topic, record);
        List<String> what =
                record.getBlocks().stream().map(FocusBlockCommand::describe).toList();
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "focus-block: %s (zone %s, from %s) -> %s partition %d offset %d%n",
                        what.isEmpty() ? "no blocks (clears the user's blocks)" : String.join("; ", what),
                        record.getTimeZone() == null ? "of the user" : record.getTimeZone(),
                        record.getUpdatedAt(),
                        at.topic(),
                        at.partition(),
                        at.offset());
        return 0;
    }
}
