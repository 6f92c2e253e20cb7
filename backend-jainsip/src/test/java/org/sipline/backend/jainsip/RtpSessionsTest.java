package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.media.MediaEngine;
import org.sipline.core.spi.BackendConfig;

/**
 * The port pair bound ahead (issue 16): with ephemeral ports a call takes the pair bound after the
 * previous call's task, and the next is bound only after the taking task; in a configured range
 * nothing is held idle.
 */
class RtpSessionsTest {
  @Test
  void withEphemeralPortsTheNextCallTakesThePairBoundAfterThePreviousTask() throws Exception {
    Queue<Runnable> sipExecutor = new ArrayDeque<>();
    try (RtpSessions rtp =
        RtpSessions.start(BackendConfig.loopback().build(), MediaEngine.PACER_REALTIME_OFF)) {
      RtpSession first = rtp.allocate(sipExecutor::add);
      assertThat(rtp.sparePort()).as("nothing bound inside the taking task").isZero();
      assertThat(sipExecutor).hasSize(1);
      sipExecutor.remove().run();
      int spare = rtp.sparePort();
      assertThat(spare).isPositive().isEven().isNotEqualTo(first.localPort());

      RtpSession second = rtp.allocate(sipExecutor::add);
      assertThat(second.localPort()).isEqualTo(spare);
      assertThat(rtp.sparePort()).isZero();
      sipExecutor.remove().run();
      assertThat(rtp.sparePort()).isPositive().isNotEqualTo(spare);
      first.close();
      second.close();
    }
  }

  @Test
  void inAConfiguredRangeNoPairIsHeldIdle() throws Exception {
    Queue<Runnable> sipExecutor = new ArrayDeque<>();
    try (RtpSessions rtp =
        RtpSessions.start(
            BackendConfig.loopback().rtpPorts(40_000, 40_010).build(),
            MediaEngine.PACER_REALTIME_OFF)) {
      RtpSession call = rtp.allocate(sipExecutor::add);
      assertThat(call.localPort()).isBetween(40_000, 40_010);
      assertThat(sipExecutor).isEmpty();
      assertThat(rtp.sparePort()).isZero();
      call.close();
    }
  }
}
