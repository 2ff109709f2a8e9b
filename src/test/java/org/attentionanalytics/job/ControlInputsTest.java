package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.Test;

/** Where the control sources start without a checkpoint. */
class ControlInputsTest {
  static OffsetResetStrategy start(String startingOffsets, EventKind kind) {
    JobOptions options = TestJobs.defaults();
    options.startingOffsets = startingOffsets;
    return ControlInputs.startingOffsets(options, kind).getAutoOffsetResetStrategy();
  }

  @Test
  void budgetsNeverSkipWhatWasSentBeforeTheJobStarted() {
    assertThat(start("latest", EventKind.BUDGET)).isEqualTo(OffsetResetStrategy.EARLIEST);
    assertThat(start("earliest", EventKind.BUDGET)).isEqualTo(OffsetResetStrategy.EARLIEST);
    assertThat(start("committed", EventKind.BUDGET)).isEqualTo(OffsetResetStrategy.EARLIEST);
  }

  @Test
  void erasureRequestsFollowTheEvents() {
    assertThat(start("latest", EventKind.ERASURE)).isEqualTo(OffsetResetStrategy.LATEST);
    assertThat(start("earliest", EventKind.ERASURE)).isEqualTo(OffsetResetStrategy.EARLIEST);
  }
}
