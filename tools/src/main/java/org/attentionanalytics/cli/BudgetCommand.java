package org.attentionanalytics.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.attentionanalytics.attention.CategoryRules;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.job.KafkaClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/attention budget --user-id ID --minutes news=30 ...}: sets a user's daily attention
 * budgets, time zone and alert opt-out (DESIGN.md sections 2 and 7) by sending one {@link
 * AttentionBudget} to {@code attention-budgets}, keyed by the raw user id, Avro single-object
 * encoded (or JSON with {@code --format json}). A budget replaces the user's previous one from
 * its {@code updated_at} on, so give every category each time. Prints one line with what was sent
 * and where. Exit codes: 0 sent; 2 invalid options; 1 Kafka failed.
 */
@Command(
        name = "budget",
        mixinStandardHelpOptions = true,
        version = "Attention Analytics 0.1.0",
        sortOptions = false,
        description = {
            "Send a user's daily attention budgets (minutes per category), time zone and alert opt-out to the "
                    + "attention-budgets topic (keyed by the raw user id).",
            "Kafka client properties: --kafka.<property>=<value>."
        })
public class BudgetCommand implements Callable<Integer>, KafkaClientCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    ControlRecordOptions target = new ControlRecordOptions();

    @Option(
            names = "--time-zone",
            paramLabel = "ZONE",
            description =
                    "The user's IANA time zone for day boundaries (e.g. Europe/Copenhagen). Default: none (the events' zone).")
    String timeZone;

    @Option(
            names = "--minutes",
            split = ",",
            paramLabel = "CATEGORY=MIN",
            description =
                    "Daily budget in whole minutes for a category; repeat the option or separate with commas (--minutes news=30,shopping=15).")
    Map<String, String> minutes = new LinkedHashMap<>();

    @Option(
            names = "--alerts-enabled",
            arity = "1",
            defaultValue = "true",
            paramLabel = "true|false",
            description = "false: the user opts out of alerts. Default: ${DEFAULT-VALUE}")
    boolean alertsEnabled;

    @Option(
            names = "--updated-at",
            paramLabel = "TIME",
            description =
                    "Event time from which the budget applies: epoch ms or ISO-8601 (Z, an offset, or UTC without). Default: now.")
    String updatedAt;

    @Option(
            names = "--topic.budgets",
            defaultValue = "attention-budgets",
            paramLabel = "TOPIC",
            description = "Topic of AttentionBudgets. Default: ${DEFAULT-VALUE}")
    String topic;

    @Override
    public void addKafkaProperties(Map<String, String> properties) {
        target.kafkaProperties.putAll(properties);
    }

    /**
     * The budget this command sends (without sending it).
     *
     * @param now the default {@code updated_at}
     * @throws ParameterException for an empty user id, an invalid zone, minutes that are not a whole
     *     number {@code >= 0}, an empty category, or an unreadable time
     */
    AttentionBudget budget(Instant now) {
        String userId = target.userId(spec);
        if (timeZone != null && !org.attentionanalytics.io.TimeZones.isIana(timeZone)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--time-zone: '" + timeZone + "' is not an IANA zone id (e.g. Europe/Copenhagen)");
        }
        Map<String, Long> budgets = new TreeMap<>();
        minutes.forEach((category, text) -> {
            long m;
            try {
                m = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                m = -1;
            }
            if (category.isBlank() || m < 0) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--minutes " + category + "=" + text + ": expected CATEGORY=MIN with whole minutes >= 0");
            }
            budgets.put(category.strip(), m);
        });
        return AttentionBudget.newBuilder()
                .setUserId(userId)
                .setTimeZone(timeZone)
                .setBudgets(budgets)
                .setAlertsEnabled(alertsEnabled)
                .setUpdatedAt(updatedAt == null ? now : ControlRecordOptions.time(spec, "--updated-at", updatedAt))
                .build();
    }

    @Override
    public Integer call() throws Exception {
        AttentionBudget b = budget(Instant.now());
        List<String> known = CategoryRules.defaults().categories();
        for (String category : b.getBudgets().keySet()) {
            if (!known.contains(category)) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "budget: warning: '%s' is not a category of the default rules (%s); "
                                        + "it only ever fires if the job runs with --category-rules that define it%n",
                                category, String.join(", ", known));
            }
        }
        RecordMetadata at = target.send(spec, topic, b);
        StringBuilder what = new StringBuilder();
        b.getBudgets()
                .forEach((c, m) -> what.append(what.length() == 0 ? "" : ", ")
                        .append(c)
                        .append('=')
                        .append(m)
                        .append(" min"));
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "budget: %s (zone %s, alerts %s, from %s) -> %s partition %d offset %d%n",
                        what.length() == 0 ? "no categories" : what,
                        b.getTimeZone() == null ? "of the events" : b.getTimeZone(),
                        b.getAlertsEnabled() ? "on" : "off",
                        b.getUpdatedAt(),
                        at.topic(),
                        at.partition(),
                        at.offset());
        return 0;
    }
}
