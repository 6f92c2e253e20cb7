package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;

/**
 * baresip holds the call ({@code hold}: its re-INVITE stops our sending) and takes it back ({@code
 * resume}): both are reported as on jainsip ({@code BaresipHoldTest}), and our RTP stops while held
 * and starts again (RFC 3264 §8.4): the frames the media thread hands pjsua go on, none of them on
 * the wire, while the RTP sent stays where it was.
 */
class PjsipBaresipHoldTest {
  private static final Duration BOUND = Duration.ofSeconds(15);

  /** 25 of our 20 ms frames: half a second of hold. */
  private static final long HELD_FOR_FRAMES = 25;

  private PjsipTestLine line;
  private RecordingListener listener;
  private SipAccount account;

  @BeforeEach
  void start() throws Exception {
    line = PjsipTestLine.start("alice", b -> b);
    listener = line.listener;
    account = line.account;
  }

  @AfterEach
  void stop() {
    if (line != null) {
      line.close();
    }
  }

  @Test
  void baresipsHoldStopsOurRtpAndItsResumeStartsItAgain() throws Exception {
    MediaProbe probe = new MediaProbe();
    try (Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("hold-phone"))) {
      SipCall call =
          account.call(SipUri.of(phone.user(), "127.0.0.1", phone.port()), Map.of(), probe.media());
      assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");
      phone.awaitEvent("CALL_ESTABLISHED", BOUND);
      Awaitility.await().atMost(BOUND).until(() -> call.rtpStatistics().packetsSent() >= 10);

      phone.command("hold", "");
      assertThat(listener.holds.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS))
          .startsWith("held: call held by the far end (INVITE with a=");
      long sentWhenHeld = call.rtpStatistics().packetsSent();
      long unsentWhenHeld = probe.sentNotOnWire();
      Awaitility.await()
          .atMost(BOUND)
          .until(() -> probe.sentNotOnWire() >= unsentWhenHeld + HELD_FOR_FRAMES);
      // A frame already under way when the hold came may still have gone out.
      assertThat(call.rtpStatistics().packetsSent()).isBetween(sentWhenHeld, sentWhenHeld + 1);

      phone.command("resume", "");
      assertThat(listener.holds.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS))
          .isEqualTo("resumed: call resumed by the far end (INVITE with a=sendrecv)");
      long sentWhenResumed = call.rtpStatistics().packetsSent();
      Awaitility.await()
          .atMost(BOUND)
          .until(() -> call.rtpStatistics().packetsSent() >= sentWhenResumed + 10);

      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      assertThat(listener.holds).isEmpty();
    }
  }
}
