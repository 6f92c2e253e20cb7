package org.sipline.benchmarks.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipline.benchmarks.harness.CapturedPacket;

/** A phase's packets checked against the codec and SRTP mode it claims to measure. */
class WireFormatTest {
  private static final int SINK = 40_000;

  private static CapturedPacket packet(long nanos, int dst, int payloadType, int length) {
    return new CapturedPacket(nanos, 5000, dst, 1, (int) nanos, nanos * 160, payloadType, length);
  }

  @Test
  void plainPcmuIsPayloadTypeZeroInOneHundredAndSeventyTwoBytes() {
    WireFormat w = WireFormat.of(List.of(packet(1, SINK, 0, 172)), 0, 10, p -> p == SINK);

    assertThat(w.describe()).isEqualTo("PT 0, 172 bytes");
    assertThat(w.mismatch(MediaVariant.PLAIN_PCMU)).isNull();
    assertThat(w.mismatch(new MediaVariant("pcmu", "require")))
        .isEqualTo(
            "pcmu srtp packets are 182 bytes, but the load sent PT 0, 172 bytes: no SRTP"
                + " authentication tag");
    assertThat(w.mismatch(new MediaVariant("g722", "off")))
        .startsWith("g722 is payload type 9, but the load sent PT 0, 172 bytes");
  }

  @Test
  void srtpG722CarriesTheTenByteTag() {
    WireFormat w = WireFormat.of(List.of(packet(1, SINK, 9, 182)), 0, 10, p -> p == SINK);

    assertThat(w.mismatch(new MediaVariant("g722", "require"))).isNull();
    assertThat(w.mismatch(new MediaVariant("g722", "off"))).contains("182 bytes");
  }

  @Test
  void opusLengthsVaryAndOnlyItsPayloadTypeIsChecked() {
    WireFormat w =
        WireFormat.of(
            List.of(packet(1, SINK, 111, 60), packet(2, SINK, 111, 91)), 0, 10, p -> p == SINK);

    assertThat(w.describe()).isEqualTo("PT 111, 60–91 bytes");
    assertThat(w.mismatch(new MediaVariant("opus", "off"))).isNull();
    assertThat(w.mismatch(new MediaVariant("opus", "require"))).isNull();
  }

  @Test
  void onlyTheWindowAndTheSinkCountAndAnUnrecordedCaptureProvesNothing() {
    List<CapturedPacket> p =
        List.of(packet(1, SINK, 0, 172), packet(20, SINK, 8, 172), packet(2, SINK + 1, 8, 172));
    assertThat(WireFormat.of(p, 0, 10, d -> d == SINK).payloadTypes()).containsExactly(0);
    WireFormat unrecorded =
        WireFormat.of(List.of(new CapturedPacket(1, 5000, SINK, 1, 0, 0)), 0, 10, d -> true);
    assertThat(unrecorded.describe()).isEqualTo("not recorded");
    assertThat(unrecorded.mismatch(new MediaVariant("g722", "require"))).isNull();
  }

  @Test
  void theCalleeAnswersTheCodecInTheOffersPayloadTypeAndKeysSrtp() {
    assertThat(MediaVariant.PLAIN_PCMU.calleeMedia())
        .isEqualTo("m=audio @SINK_PORT@ RTP/AVP 0\na=rtpmap:0 PCMU/8000");
    assertThat(new MediaVariant("opus", "off").calleeMedia())
        .startsWith("m=audio @SINK_PORT@ RTP/AVP 111\na=rtpmap:111 opus/48000/2\n");
    String srtp = new MediaVariant("g722", "require").calleeMedia();
    assertThat(srtp)
        .startsWith("m=audio @SINK_PORT@ RTP/SAVP 9\na=rtpmap:9 G722/8000\n")
        .matches("(?s).*\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}$");
    assertThat(srtp).isNotEqualTo(new MediaVariant("g722", "require").calleeMedia());
    assertThat(new MediaVariant("opus", "off").rtpClockRate()).isEqualTo(48000);
    assertThat(new MediaVariant("g722", "off").rtpClockRate()).isEqualTo(8000);
  }
}
