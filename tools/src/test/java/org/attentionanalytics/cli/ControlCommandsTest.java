package org.attentionanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.job.CliSupport;
import org.attentionanalytics.replay.ReplayFormat;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parsing and checks of {@code erase} and {@code budget}, without Kafka. */
class ControlCommandsTest {
    static final Instant NOW = Instant.parse("2025-03-30T08:00:00Z");

    static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }

    /** Runs {@code bin/attention <args>} and returns exit code and stderr. */
    static Map.Entry<Integer, String> run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = AttentionCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return Map.entry(CliSupport.execute(cl, args), err.toString());
    }

    @Test
    void eraseDefaults() {
        EraseCommand c = parse(new EraseCommand(), "--user-id", "10023");
        ErasureRequest r = c.request(NOW);
        assertThat(r.getUserId()).isEqualTo("10023");
        assertThat(r.getRequestedAt()).isEqualTo(NOW);
        assertThat(r.getRequestId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(c.request(NOW).getRequestId())
                .as("random, not derived from the user id")
                .isNotEqualTo(r.getRequestId());
        assertThat(c.target.bootstrapServers).isEqualTo("localhost:9092");
        assertThat(c.topic).isEqualTo("privacy-requests");
        assertThat(c.target.format).isEqualTo(ReplayFormat.AVRO);
    }

    @Test
    void eraseWithEverything() {
        ErasureRequest r = parse(
                        new EraseCommand(),
                        "--user-id",
                        "u1",
                        "--request-id",
                        "ticket-77",
                        "--requested-at",
                        "1743321600000",
                        "--topic.privacy-requests",
                        "pr",
                        "--format",
                        "json")
                .request(NOW);
        assertThat(r)
                .isEqualTo(ErasureRequest.newBuilder()
                        .setRequestId("ticket-77")
                        .setUserId("u1")
                        .setRequestedAt(Instant.parse("2025-03-30T08:00:00Z"))
                        .build());
        assertThat(parse(new EraseCommand(), "--user-id", "u1", "--requested-at", "2025-03-30T10:00:00+02:00")
                        .request(NOW)
                        .getRequestedAt())
                .isEqualTo(NOW);
    }

    @Test
    void eraseUsageErrors() {
        assertThat(run("erase")).satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(2);
            assertThat(r.getValue()).contains("Missing required option: '--user-id=ID'");
        });
        assertThat(run("erase", "--user-id", "u1", "--requested-at", "tomorrow"))
                .satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(2);
                    assertThat(r.getValue())
                            .contains("--requested-at: time 'tomorrow' is neither epoch milliseconds nor ISO-8601");
                });
        assertThat(run("erase", "--user-id", " ").getKey()).isEqualTo(2);
        assertThat(run("erase", "--user-id", "u1", "--request-id", "").getKey()).isEqualTo(2);
    }

    @Test
    void budget() {
        AttentionBudget b = parse(
                        new BudgetCommand(),
                        "--user-id",
                        "u1",
                        "--time-zone",
                        "Europe/Berlin",
                        "--minutes",
                        "news=30,shopping=15",
                        "--minutes",
                        "video=0",
                        "--alerts-enabled=false")
                .budget(NOW);
        assertThat(b)
                .isEqualTo(AttentionBudget.newBuilder()
                        .setUserId("u1")
                        .setTimeZone("Europe/Berlin")
                        .setBudgets(Map.of("news", 30L, "shopping", 15L, "video", 0L))
                        .setAlertsEnabled(false)
                        .setUpdatedAt(NOW)
                        .build());
        BudgetCommand plainCommand =
                parse(new BudgetCommand(), "--user-id", "u2", "--updated-at", "2025-01-01T00:00:00Z");
        assertThat(plainCommand.topic).isEqualTo("attention-budgets");
        AttentionBudget plain = plainCommand.budget(NOW);
        assertThat(plain.getTimeZone()).isNull();
        assertThat(plain.getBudgets()).isEmpty();
        assertThat(plain.getAlertsEnabled()).isTrue();
        assertThat(plain.getUpdatedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void budgetUsageErrors() {
        assertThat(run("budget", "--user-id", "u1", "--minutes", "news=-5")).satisfies(r -> {
            assertThat(r.getKey()).isEqualTo(2);
            assertThat(r.getValue()).contains("--minutes news=-5: expected CATEGORY=MIN with whole minutes >= 0");
        });
        assertThat(run("budget", "--user-id", "u1", "--minutes", "news=half").getKey())
                .isEqualTo(2);
        assertThat(run("budget", "--user-id", "u1", "--time-zone", "Mars/Olympus"))
                .satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(2);
                    assertThat(r.getValue()).contains("--time-zone: 'Mars/Olympus' is not an IANA zone id");
                });
        assertThat(run("budget", "--user-id", "u1", "--alerts-enabled", "maybe").getKey())
                .isEqualTo(2);
    }
}
