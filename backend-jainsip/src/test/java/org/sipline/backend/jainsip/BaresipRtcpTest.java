package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.media.RecordingSink;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RTCP with baresip 1.0 (libre's RTCP) as the far end: its compound packets parse (none dropped),
 * its report blocks tell how our stream arrived, its sender reports what it sent, and the
 * round-trip time comes out of LSR/DLSR. Tolerance for the counts: a report describes the stream up
 * to its own moment, at most one report interval (6.2 s, 310 packets of 20 ms) before ours.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaresipRtcpTest {
  private static final Logger log = LoggerFactory.getLogger(BaresipRtcpTest.class);
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final long REPORTS_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long ONE_INTERVAL_PACKETS = 310;

  private ScriptedSipPeer registrar;
  private JainSipBackend backend;

  @BeforeAll
  void startBackend() throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend = JainSipBackend.start(BackendConfig.loopback().build());
  }

  @AfterAll
  void stopBackend() {
    if (backend != null) {
      backend.close();
    }
    registrar.close();
  }

  @Test
  void baresipsReportsGiveLossJitterCountsAndTheRoundTripAndNoneIsDropped() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount line =
        backend.register(
            new AccountSpec(
                SipUri.of("reports", "127.0.0.1", registrar.port()), "secret", "reports", null),
            events);
    events.next(Registered.class);
    try (Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("rtcp-phone"))) {
      SipCall call =
          line.call(
              SipUri.of(phone.user(), "127.0.0.1", phone.port()),
              Map.of(),
              new CallMedia(AudioSource.SILENCE, new RecordingSink()));
      events.next(Ringing.class, WAIT);
      events.next(Connected.class, WAIT);
      phone.awaitEvent("CALL_ESTABLISHED", WAIT);

      long deadline = System.nanoTime() + REPORTS_NANOS;
      RtpStatistics s = call.rtpStatistics();
      while (!(s.outbound().reported() && s.hasRoundTrip() && s.rtcpReceived() >= 2)) {
        assertThat(System.nanoTime() - deadline)
            .as("baresip's reports within 30 s: %s", s)
            .isNegative();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        s = call.rtpStatistics();
      }
      log.info("FIGURE rtcp with baresip during the call: {}", s);
      call.hangup();
      events.next(Ended.class, WAIT);
      RtpStatistics last = call.rtpStatistics();
      log.info("FIGURE rtcp with baresip at the end: {}", last);

      assertThat(last.rtcpDropped()).as("baresip's RTCP all parsed and admitted").isZero();
      assertThat(last.rtcpSent()).isGreaterThanOrEqualTo(2);
      assertThat(last.roundTripMillis()).as("loopback round trip").isBetween(0.0, 50.0);
      assertThat(last.outbound().cumulativeLost()).as("loopback loses nothing").isZero();
      assertThat(last.outbound().jitterMillis()).isLessThan(20.0);
      assertThat(last.outbound().expected())
          .as("baresip saw our stream up to its last report")
          .isBetween(last.packetsSent() - ONE_INTERVAL_PACKETS, last.packetsSent());
      assertThat(last.inbound().cumulativeLost()).isZero();
      assertThat(last.packetsReceived()).isPositive();
      if (last.farEndPacketsSent() >= 0) {
        assertThat(last.farEndPacketsSent())
            .as("baresip's SR count against what arrived")
            .isBetween(last.packetsReceived() - ONE_INTERVAL_PACKETS, last.packetsReceived() + 2);
      }
    }
  }
}
