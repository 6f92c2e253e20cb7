package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.OpusParameters;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.SrtpMode;

/** {@code --codecs}: parsing it, our offer in its order, and choosing in both directions. */
class CodecNegotiationTest {
  private static final Availability OPUS = Availability.yes();
  private static final Availability NO_OPUS = Availability.no("libopus.so.0: not found");

  private static SessionDescription sdp(String media) {
    return SessionDescription.parse(
        "v=0\r\no=x 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" + media);
  }

  @Test
  void unknownRepeatedOrUnavailableCodecsAreRefusedByName() {
    assertThatThrownBy(() -> CodecPreference.parse("pcmu,g729", OPUS))
        .hasMessage("option 'codecs': unknown codec 'g729' (valid: opus, g722, pcmu, pcma)");
    assertThatThrownBy(() -> CodecPreference.parse("pcmu,,pcma", OPUS))
        .hasMessageContaining("unknown codec ''");
    assertThatThrownBy(() -> CodecPreference.parse("g722,PCMU,pcmu", OPUS))
        .hasMessage("option 'codecs': 'pcmu' is given twice");
    assertThatThrownBy(() -> CodecPreference.parse("opus,pcmu", NO_OPUS))
        .hasMessage("option 'codecs': opus is not available here: libopus.so.0: not found");
    assertThat(CodecPreference.parse(" G722 , pcma ", NO_OPUS).codecs())
        .containsExactly(Codec.G722, Codec.PCMA);
  }

  @Test
  void theDefaultIsEveryCodecThatRunsHereOpusOnlyWithLibopus() {
    assertThat(CodecPreference.defaults(OPUS).codecs())
        .containsExactly(Codec.OPUS, Codec.G722, Codec.PCMU, Codec.PCMA);
    assertThat(CodecPreference.defaults(NO_OPUS).codecs())
        .containsExactly(Codec.G722, Codec.PCMU, Codec.PCMA);
  }

  @Test
  void ourOfferListsTheCodecsInOrderWithRtpmapsOpusFmtpAndATelephoneEventPerClock() {
    CodecPreference prefs = CodecPreference.parse("opus,g722,pcma,pcmu", OPUS);
    String offer = new LocalSdp("192.0.2.7", 40000, 42, SrtpMode.OFF, null, prefs).offer();
    assertThat(offer)
        .contains(
            "m=audio 40000 RTP/AVP 111 9 8 0 101 102\r\n",
            "a=rtpmap:111 opus/48000/2\r\n",
            "a=fmtp:111 maxplaybackrate=16000;sprop-maxcapturerate=16000\r\n",
            "a=rtpmap:9 G722/8000\r\n",
            "a=rtpmap:8 PCMA/8000\r\n",
            "a=rtpmap:0 PCMU/8000\r\n",
            "a=rtpmap:101 telephone-event/8000\r\n",
            "a=rtpmap:102 telephone-event/48000\r\n");
    String g711 =
        new LocalSdp(
                "192.0.2.7", 40000, 42, SrtpMode.OFF, null, CodecPreference.parse("pcmu", OPUS))
            .offer();
    assertThat(g711).contains("m=audio 40000 RTP/AVP 0 101\r\n").doesNotContain("48000");
  }

  @Test
  void answeringTakesOurFirstCodecTheOfferHasWhateverItsOrder() {
    SessionDescription offer =
        sdp(
            "m=audio 4000 RTP/AVP 0 8 9 96 101 97\r\n"
                + "a=rtpmap:96 OPUS/48000/2\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=rtpmap:97 telephone-event/48000\r\n");
    MediaPlan opus = LocalSdp.planFor(offer, SrtpMode.OFF, CodecPreference.defaults(OPUS));
    assertThat(opus.codec()).isEqualTo(Codec.OPUS);
    assertThat(opus.payloadType()).as("the offerer's dynamic type").isEqualTo(96);
    assertThat(opus.telephoneEvent()).as("telephone-event at Opus's clock").isEqualTo(97);
    String answer =
        new LocalSdp("192.0.2.7", 40000, 42, SrtpMode.OFF, null, CodecPreference.defaults(OPUS))
            .answer(offer, opus);
    assertThat(answer)
        .contains(
            "m=audio 40000 RTP/AVP 96 97\r\n",
            "a=rtpmap:96 opus/48000/2\r\n",
            "a=rtpmap:97 telephone-event/48000\r\n");

    MediaPlan g722 = LocalSdp.planFor(offer, SrtpMode.OFF, CodecPreference.defaults(NO_OPUS));
    assertThat(g722.codec()).isEqualTo(Codec.G722);
    assertThat(g722.payloadType()).isEqualTo(9);
    assertThat(g722.telephoneEvent()).isEqualTo(101);

    MediaPlan pcma =
        LocalSdp.planFor(offer, SrtpMode.OFF, CodecPreference.parse("pcma,pcmu", NO_OPUS));
    assertThat(pcma.codec()).isEqualTo(Codec.PCMA);

    assertThat(
            LocalSdp.planFor(
                sdp("m=audio 4000 RTP/AVP 0 8\r\n"),
                SrtpMode.OFF,
                CodecPreference.parse("opus,g722", OPUS)))
        .as("nothing in common: 488")
        .isNull();
  }

  @Test
  void formatsAreMatchedByRtpmapNotByNumberAlone() {
    // 9 mapped to something else is not G.722; G.722 at a 16000 Hz clock is not RFC 3551's.
    SessionDescription odd =
        sdp(
            "m=audio 4000 RTP/AVP 9 98 0\r\n"
                + "a=rtpmap:9 L16/8000\r\n"
                + "a=rtpmap:98 G722/16000\r\n");
    MediaPlan plan = LocalSdp.planFor(odd, SrtpMode.OFF, CodecPreference.defaults(NO_OPUS));
    assertThat(plan.codec()).isEqualTo(Codec.PCMU);
    SessionDescription mono = sdp("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 opus/48000\r\n");
    assertThat(LocalSdp.planFor(mono, SrtpMode.OFF, CodecPreference.defaults(OPUS)))
        .as("opus is /2 always (RFC 7587)")
        .isNull();
  }

  @Test
  void anAnswerToOurOfferIsTakenInItsOwnOrder() {
    SessionDescription answer =
        sdp("m=audio 4000 RTP/AVP 9 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");
    MediaPlan plan = LocalSdp.planFromAnswer(answer, SrtpMode.OFF, CodecPreference.defaults(OPUS));
    assertThat(plan.codec()).isEqualTo(Codec.G722);
    assertThat(plan.telephoneEvent()).isEqualTo(101);
    assertThat(
            LocalSdp.planFromAnswer(answer, SrtpMode.OFF, CodecPreference.parse("pcma", NO_OPUS)))
        .isNull();
  }

  @Test
  void midCallOnlyCodecsOfTheCallsRateAndClockQualifyTheCurrentFirst() {
    CodecPreference all = CodecPreference.defaults(OPUS);
    assertThat(all.keeping(Codec.PCMA).codecs()).containsExactly(Codec.PCMA, Codec.PCMU);
    assertThat(all.keeping(Codec.G722).codecs()).containsExactly(Codec.G722);
    assertThat(all.keeping(Codec.OPUS).codecs()).containsExactly(Codec.OPUS);
  }

  @Test
  void theFarEndsOpusFmtpRidesWithThePlanAndBadValuesAreNamedNotFatal() {
    SessionDescription offer =
        sdp(
            "m=audio 4000 RTP/AVP 96 0\r\n"
                + "a=rtpmap:96 opus/48000/2\r\n"
                + "a=fmtp:96 maxplaybackrate=8000;stereo=0;sprop-stereo=0;useinbandfec=1;"
                + "maxaveragebitrate=12000;usedtx=1\r\n"
                + "a=fmtp:0 whatever\r\n"
                + "a=fmtp:x broken\r\n");
    MediaPlan plan = LocalSdp.planFor(offer, SrtpMode.OFF, CodecPreference.defaults(OPUS));
    assertThat(plan.codec()).isEqualTo(Codec.OPUS);
    assertThat(plan.opus().maxBandwidthHz()).isEqualTo(4000);
    assertThat(plan.opus().inbandFec()).isTrue();
    assertThat(plan.opus().maxAverageBitrate()).isEqualTo(12000);
    assertThat(plan.opus().problems()).isEmpty();

    MediaPlan odd =
        LocalSdp.planFor(
            sdp(
                "m=audio 4000 RTP/AVP 96\r\n"
                    + "a=rtpmap:96 opus/48000/2\r\n"
                    + "a=fmtp:96 maxplaybackrate=99999;useinbandfec=yes\r\n"),
            SrtpMode.OFF,
            CodecPreference.defaults(OPUS));
    assertThat(odd.opus().maxPlaybackRate()).as("RFC 7587's default kept").isEqualTo(48000);
    assertThat(odd.opus().problems())
        .containsExactly(
            "maxplaybackrate=99999 ignored: not a number in 8000..48000",
            "useinbandfec=yes ignored: 0 or 1 only");

    MediaPlan g711 = LocalSdp.planFor(offer, SrtpMode.OFF, CodecPreference.G711);
    assertThat(g711.codec()).isEqualTo(Codec.PCMU);
    assertThat(g711.opus()).isEqualTo(OpusParameters.DEFAULTS);
  }
}
