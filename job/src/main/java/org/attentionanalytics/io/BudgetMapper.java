package org.attentionanalytics.io;

import static org.attentionanalytics.io.DoorJson.instant;
import static org.attentionanalytics.io.DoorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;

/**
 * The door of {@code attention-budgets} (DESIGN.md sections 3 and 8): an {@link AttentionBudget}
 * becomes a BUDGET event with {@code event_id} = {@code "budget:"} + {@link #budgetId}, {@code
 * event_time} = {@code updated_at}, the zone, the minutes per category and {@code alerts_enabled}.
 *
 * <p>Dead letters, in order: {@code FIELD_TOO_LARGE} (user id, categories, zone), {@code
 * MISSING_FIELD} (empty user id; in JSON no {@code user_id} or {@code updated_at}), {@code
 * NEGATIVE_DWELL} and {@code DWELL_TOO_LONG} for a category's budget below 0 or above {@value
 * #MAX_BUDGET_MINUTES} minutes (the closest reasons; the detail says it is a budget), {@code
 * FUTURE_TIMESTAMP} and {@code TOO_LATE} ({@code updated_at}), {@code INVALID_TIME_ZONE}.
 */
public final class BudgetMapper implements RecordMapper<AttentionBudget> {
    private static final long serialVersionUID = 1L;

    /** Largest daily budget of one category, in minutes: a day has 1,440 (24 h; 1,500 on a 25-hour day is not needed). */
    public static final long MAX_BUDGET_MINUTES = 1_440;

    @Override
    public Class<AttentionBudget> type() {
        return AttentionBudget.class;
    }

    @Override
    public SourceRecord map(AttentionBudget b, DoorRecord<AttentionBudget> in) {
        DoorLimits limits = in.limits();
        SourceRecord rejected = in.checkUser(
                b.getUserId(),
                DoorLimits.first(
                        limits.id("user_id", b.getUserId()),
                        limits.topics("budgets", b.getBudgets()),
                        limits.string("time_zone", b.getTimeZone())));
        if (rejected != null) {
            return rejected;
        }
        String user = in.pseudonym(b.getUserId());
        Map<String, Long> minutes = new TreeMap<>(b.getBudgets());
        for (Map.Entry<String, Long> m : minutes.entrySet()) {
            if (m.getValue() < 0) {
                return in.dead(
                        user,
                        DeadLetterReason.NEGATIVE_DWELL,
                        "budget for category " + DeadLetters.quoted(m.getKey(), in.redact()) + " is " + m.getValue()
                                + " minutes < 0 (NEGATIVE_DWELL is the closest reason: a negative duration)");
            }
            if (m.getValue() > MAX_BUDGET_MINUTES) {
                return in.dead(
                        user,
                        DeadLetterReason.DWELL_TOO_LONG,
                        "budget for category " + DeadLetters.quoted(m.getKey(), in.redact())
                                + " is " + m.getValue() + " minutes > " + MAX_BUDGET_MINUTES
                                + " (a day; DWELL_TOO_LONG is the closest reason: a duration too long)");
            }
        }
        long at = b.getUpdatedAt().toEpochMilli();
        String zone = b.getTimeZone();
        rejected = in.checkTime(user, "updated_at", b.getUpdatedAt());
        if (rejected == null) {
            rejected = in.checkZone(user, zone);
        }
        return rejected != null
                ? rejected
                : in.accept(in.event(EventKind.BUDGET)
                        .setEventId("budget:" + budgetId(user, zone, minutes, b.getAlertsEnabled(), at))
                        .setUser(user)
                        .setEventTime(at)
                        .setTimeZone(zone)
                        .setBudgetMinutes(minutes)
                        .setAlertsEnabled(b.getAlertsEnabled())
                        .build());
    }

    /**
     * The id part of a BUDGET event: the first 16 bytes of SHA-256 over the pseudonym and the
     * budget's fields ({@code <user>|<updated_at ms>|<zone or empty>|<alerts_enabled>|cat=min;...}
     * with categories sorted), as 32 lowercase hex characters. The same budget gets the same id on
     * every read and replay; the raw user id is not an input, so the id reveals nothing the pseudonym
     * does not.
     */
    public static String budgetId(
            String user, String zone, Map<String, Long> minutes, boolean alertsEnabled, long updatedAtMs) {
        StringBuilder s = new StringBuilder(user)
                .append('|')
                .append(updatedAtMs)
                .append('|')
                .append(zone == null ? "" : zone)
                .append('|')
                .append(alertsEnabled)
                .append('|');
        new TreeMap<>(minutes)
                .forEach((c, m) -> s.append(c).append('=').append(m).append(';'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With user_id emptied, and categories and zone kept only where they look like names ({@link DeadLetters#quoted}). */
    @Override
    public AttentionBudget redacted(AttentionBudget b, Pseudonymizer ids) {
        Map<String, Long> named = new TreeMap<>(); // a category that is no name (an e-mail address, say) is left out
        b.getBudgets().forEach((category, minutes) -> {
            if (DeadLetters.safeOrNull(category) != null) {
                named.put(category, minutes);
            }
        });
        return AttentionBudget.newBuilder(b)
                .setUserId("")
                .setBudgets(named)
                .setTimeZone(DeadLetters.safeOrNull(b.getTimeZone()))
                .build();
    }

    @Override
    public AttentionBudget fromJson(JsonNode n, boolean redact) throws DoorJson.MissingFieldException {
        DoorJson.requireObject(n);
        String userId = text(n, "user_id");
        Instant at = instant(n, "updated_at");
        if (userId == null || at == null) {
            throw new DoorJson.MissingFieldException("user_id and updated_at are required");
        }
        Map<String, Long> budgets = new TreeMap<>();
        JsonNode map = n.get("budgets");
        if (map != null && !map.isNull()) {
            if (!map.isObject()) {
                throw new DoorJson.BadShapeException("budgets is not an object of category -> minutes");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().isIntegralNumber() || !f.getValue().canConvertToLong()) {
                    throw new DoorJson.BadShapeException("budgets."
                            + (!redact || DeadLetters.safeOrNull(f.getKey()) != null
                                    ? f.getKey()
                                    : DeadLetters.quoted(f.getKey(), true))
                            + " is not a whole number of minutes");
                }
                budgets.put(f.getKey(), f.getValue().asLong());
            }
        }
        JsonNode alerts = n.get("alerts_enabled");
        if (alerts != null && !alerts.isNull() && !alerts.isBoolean()) {
            throw new DoorJson.BadShapeException("alerts_enabled is not a boolean");
        }
        return AttentionBudget.newBuilder()
                .setUserId(userId)
                .setTimeZone(text(n, "time_zone"))
                .setBudgets(budgets)
                .setAlertsEnabled(alerts == null || alerts.isNull() || alerts.asBoolean())
                .setUpdatedAt(at)
                .build();
    }
}
