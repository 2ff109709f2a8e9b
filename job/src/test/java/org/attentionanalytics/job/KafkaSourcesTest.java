package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.attentionanalytics.avro.internal.EventKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Where the Kafka sources start without a checkpoint, and the option that says it. */
class KafkaSourcesTest {
    static OffsetResetStrategy start(String startingOffsets, EventKind kind) {
        JobOptions options = JobOptions.defaults();
        new CommandLine(options).parseArgs("--starting-offsets", startingOffsets);
        return KafkaSources.startingOffsets(options, kind).initializer().getAutoOffsetResetStrategy();
    }

    @Test
    void budgetsNeverSkipWhatWasSentBeforeTheJobStarted() {
        assertThat(start("latest", EventKind.BUDGET)).isEqualTo(OffsetResetStrategy.EARLIEST);
        assertThat(start("earliest", EventKind.BUDGET)).isEqualTo(OffsetResetStrategy.EARLIEST);
        assertThat(start("committed", EventKind.BUDGET)).isEqualTo(OffsetResetStrategy.EARLIEST);
    }

    @Test
    void erasureRequestsFollowTheEvents() {
        for (EventKind kind : new EventKind[] {EventKind.ERASURE, EventKind.CLICK, EventKind.DWELL}) {
            assertThat(start("latest", kind)).isEqualTo(OffsetResetStrategy.LATEST);
            assertThat(start("earliest", kind)).isEqualTo(OffsetResetStrategy.EARLIEST);
        }
    }

    @Test
    void theOptionTakesEarliestLatestOrCommittedInAnyCase() {
        assertThat(JobOptions.defaults().startingOffsets).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(start("LATEST", EventKind.CLICK)).isEqualTo(OffsetResetStrategy.LATEST);
        JobOptions options = JobOptions.defaults();
        new CommandLine(options).parseArgs("--starting-offsets", "Committed");
        assertThat(options.startingOffsets).isEqualTo(StartingOffsets.COMMITTED);
        assertThat(options.toConfigMap()).containsEntry("starting-offsets", "committed");
        assertThatThrownBy(() -> new CommandLine(JobOptions.defaults()).parseArgs("--starting-offsets", "newest"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("must be earliest, latest or committed, not newest");
    }
}
