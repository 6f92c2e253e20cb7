package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.core.spi.SrtpRefusals;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.RtcpSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRTCP with baresip (libre's SRTP), on calls that last until RTCP went both ways: baresip's SRTCP
 * authenticates at our end (no RTCP dropped, no SRTP refusal counted, its sender report gives us a
 * round trip) and ours at baresip's (it knows how its stream arrived, which only our SRTCP told
 * it). One call each way: we call it with {@code srtp-mand} (RTP/SAVP), it calls us with {@code
 * mediaenc=srtp} (RTP/AVP with crypto lines, "best effort").
 */
class BaresipSrtcpTest {
  private static final Logger log = LoggerFactory.getLogger(BaresipSrtcpTest.class);
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  /** As in {@link LineRtcpWithBaresipTest}: two estimates at different moments, same order. */
  private static final double JITTER_AGREEMENT_MILLIS = 5.0;

  @Test
  void weCallBaresipWithSrtpMandAndSrtcpPassesBothWays() throws Exception {
    srtcpCall(SrtpMode.REQUIRE, "srtp-mand", true);
  }

  @Test
  void baresipCallsUsWithBestEffortSrtpAndSrtcpPassesBothWays() throws Exception {
    srtcpCall(SrtpMode.OFFER, "srtp", false);
  }

  private void srtcpCall(SrtpMode mode, String mediaEncryption, boolean weCall) throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    try (JainSipTestLine fixture = JainSipTestLine.start("srtcp-line", b -> b.srtp(mode), events);
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("srtcp-phone")
                    .withMediaEncryption(mediaEncryption))) {
      SipAccount line = fixture.account;
      JainSipBackend backend = fixture.backend;
      SipCall call;
      if (weCall) {
        call = line.call(SipUri.of(phone.user(), "127.0.0.1", phone.port()), Map.of(), SILENCE);
        events.next(Ringing.class, WAIT);
      } else {
        phone.dial("sip:srtcp-line@127.0.0.1:" + backend.sipPort());
        call = events.next(Incoming.class, WAIT).call();
        call.answer(SILENCE);
      }
      events.next(Connected.class, WAIT);
      phone.awaitEvent("CALL_ESTABLISHED", WAIT);

      RtpStatistics during = LineRtcpWithBaresipTest.awaitRtcpBothWays(call);
      call.hangup();
      events.next(Ended.class, WAIT);
      RtcpSummary theirs = phone.awaitRtcpSummary(0, WAIT);
      RtpStatistics ours = call.rtpStatistics();
      String all =
          "during the call " + during + "; at its end ours " + ours + ", baresip's " + theirs;
      log.info(
          "FIGURE srtcp {} with baresip {} ({}): {}",
          mode.flag(),
          mediaEncryption,
          weCall ? "we call" : "baresip calls",
          all);

      // Plain RTCP is not taken at all (it fails authentication or is too short for the SRTCP
      // trailer), so each RTCP packet we took was SRTCP that authenticated: baresip's sender
      // report, whose report block about our SR gave us the round trip. Nothing was refused while
      // the call ran. (At its edges baresip sends RTCP in the clear, which we drop and count: an
      // APP "PINGPONG" before it has set up SRTP and the RTCP BYE after it has torn it down — seen
      // as plain bytes, FACTS.md.)
      assertThat(during.rtcpReceived()).as(all).isPositive();
      assertThat(during.hasRoundTrip()).as("our round trip from baresip's SRTCP: %s", all).isTrue();
      assertThat(during.srtp()).as(all).isEqualTo(SrtpRefusals.NONE);
      assertThat(ours.srtp().replays()).as(all).isZero();
      assertThat(ours.srtp().outOfWindow()).as(all).isZero();
      // baresip's side: the jitter of its stream is known to it only from our reports, inside our
      // encrypted SRTCP; we measured about 1 ms of it (its pacing, FACTS.md), so a baresip that
      // could not decrypt our SRTCP would show 0.
      assertThat(ours.inbound().jitterMillis()).as(all).isGreaterThan(0.1);
      assertThat(theirs.jitterSentMillis())
          .as("baresip's stream's jitter, as our SRTCP reported it: %s", all)
          .isGreaterThan(0.0)
          .isCloseTo(ours.inbound().jitterMillis(), within(JITTER_AGREEMENT_MILLIS));
    }
  }
}
