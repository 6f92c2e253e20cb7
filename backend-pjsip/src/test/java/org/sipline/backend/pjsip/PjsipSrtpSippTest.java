package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * The SRTP modes against far ends that know no SRTP (SIPp with plain RTP/AVP SDP): {@code require}
 * refuses a plain offer with 488 and jainsip's Warning before anything rings; {@code offer} calls a
 * plain answerer and the call is plain; {@code off} refuses an RTP/SAVP-only offer with 488 (also
 * with a pjproject built without SRTP). With such a pjproject a mode other than off is refused at
 * start, naming why.
 */
class PjsipSrtpSippTest {
  private static final CallMedia QUIET = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  /** A plain caller that expects {@code code}, from the 480 scenario. */
  private static SippScenario callerExpecting(int code, boolean savpOnly) {
    String xml =
        SippScenario.resource("uac-call-expect-480.xml")
            .xml()
            .replace("<recv response=\"480\"/>", "<recv response=\"" + code + "\"/>");
    if (savpOnly) {
      xml =
          xml.replace(
              "m=audio [media_port] RTP/AVP 0 8 101",
              "m=audio [media_port] RTP/SAVP 0 8 101\n"
                  + "      a=crypto:1 AES_CM_128_HMAC_SHA1_80"
                  + " inline:MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw");
    }
    return SippScenario.of("uac-call-expect-" + code + ".xml", xml);
  }

  @Test
  void requireRefusesAPlainOfferWith488AndSaysWhyBeforeAnythingRings() throws Exception {
    NativeShimAvailable.assumeSrtp();
    try (PjsipTestLine line = PjsipTestLine.start("alice", b -> b.srtp(SrtpMode.REQUIRE));
        Sipp caller =
            Sipp.uac(
                callerExpecting(488, false),
                "127.0.0.1:" + line.backend.sipPort(),
                SippOptions.defaults().withService("alice"))) {
      caller.awaitSuccess(PjsipTestLine.BOUND);
      assertThat(caller.messages())
          .contains(
              "Warning: 302 sipline \"SRTP is required (--srtp require) and the audio is offered"
                  + " as plain RTP/AVP\"");
      assertThat(line.listener.poll(java.time.Duration.ofMillis(300))).as("nothing rang").isNull();
    }
  }

  @Test
  void offRefusesAnSrtpOnlyOfferWith488AndSaysWhy() throws Exception {
    try (PjsipTestLine line = PjsipTestLine.start("alice", b -> b.srtp(SrtpMode.OFF));
        Sipp caller =
            Sipp.uac(
                callerExpecting(488, true),
                "127.0.0.1:" + line.backend.sipPort(),
                SippOptions.defaults().withService("alice"))) {
      caller.awaitSuccess(PjsipTestLine.BOUND);
      assertThat(caller.messages())
          .contains(
              "Warning: 302 sipline \"the audio is offered as RTP/SAVP only and SRTP is off"
                  + " (--srtp off)\"");
      assertThat(line.listener.poll(java.time.Duration.ofMillis(300))).as("nothing rang").isNull();
    }
  }

  @Test
  void withoutSrtpInPjprojectAModeOtherThanOffIsRefusedAtStart() throws Exception {
    NativeShimAvailable.assume();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ShimLoader.forConfiguredLibrary().shim().slpj_srtp_available() == 0,
        "this pjproject has SRTP");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PjsipTestLine.start("alice", b -> b.srtp(SrtpMode.OFFER)))
        .hasMessageContaining("SRTP mode offer")
        .hasMessageContaining("built without SRTP");
  }

  @Test
  void offerToAPlainAnswererMakesAPlainCall() throws Exception {
    NativeShimAvailable.assumeSrtp();
    try (PjsipTestLine line = PjsipTestLine.start("alice", b -> b.srtp(SrtpMode.OFFER));
        Sipp far = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults())) {
      SipCall call = line.account.call(SipUri.of("bob", "127.0.0.1", far.port()), Map.of(), QUIET);
      assertThat(line.listener.next(PjsipTestLine.BOUND)).startsWith("callRinging");
      assertThat(line.listener.next(PjsipTestLine.BOUND)).isEqualTo("callConnected");
      assertThat(call.audioCodec()).isEqualTo("PCMU");
      String invite = far.messages();
      // pjsua's optional SRTP: RTP/AVP with crypto lines, which a plain answerer ignores.
      assertThat(invite).contains("m=audio").contains("RTP/AVP").contains("a=crypto:");
      call.hangup();
      assertThat(line.listener.next(PjsipTestLine.BOUND)).isEqualTo("callEnded LOCAL_BYE");
      far.awaitSuccess(PjsipTestLine.BOUND);
    }
  }
}
