package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading a peer's SDP: what offer/answer needs, and bad input refused by line and reason. */
class SessionDescriptionTest {
  private static final String TWO_STREAMS =
      "v=0\r\n"
          + "o=x 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
          + "m=audio 4000 RTP/AVP 8 0 101\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendonly\r\n"
          + "m=video 5000 RTP/AVP 96\r\nc=IN IP4 10.0.0.2\r\na=rtpmap:96 H264/90000\r\n";

  @Test
  void readsConnectionStreamsFormatsRtpmapsAndDirection() {
    SessionDescription sdp = SessionDescription.parse(TWO_STREAMS);
    assertThat(sdp.connection()).isEqualTo("10.0.0.1");
    assertThat(sdp.media()).hasSize(2);
    MediaDescription audio = sdp.media().get(0);
    assertThat(audio.media()).isEqualTo("audio");
    assertThat(audio.port()).isEqualTo(4000);
    assertThat(audio.formats()).containsExactly("8", "0", "101");
    assertThat(audio.rtpmap()).containsEntry(101, "telephone-event/8000");
    assertThat(audio.direction()).isEqualTo("sendonly");
    assertThat(sdp.connectionOf(audio)).isEqualTo("10.0.0.1");
    assertThat(sdp.connectionOf(sdp.media().get(1))).isEqualTo("10.0.0.2");
    assertThat(sdp.media().get(1).direction()).isEqualTo("sendrecv");
  }

  @Test
  void keepsEachFormatsFirstFmtpAndSkipsOnesItCannotReadWithoutRefusingTheSdp() {
    String sdp =
        TWO_STREAMS.replace(
            "a=sendonly\r\n",
            "a=sendonly\r\na=fmtp:101 0-16\r\na=fmtp:x1 junk\r\na=fmtp:999 junk\r\n"
                + "a=fmtp:\u0663 junk\r\na=fmtp:8\r\n");
    MediaDescription audio = SessionDescription.parse(sdp).media().get(0);
    assertThat(audio.fmtp()).containsExactly(java.util.Map.entry(101, "0-15"));
  }

  @Test
  void acceptsBareLineFeeds() {
    assertThat(SessionDescription.parse(TWO_STREAMS.replace("\r\n", "\n")).media()).hasSize(2);
  }

  @Test
  void refusesTextThatIsNotSdp() {
    assertThatThrownBy(() -> SessionDescription.parse("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SDP does not start with v=0");
  }

  @Test
  void refusesABadPortNamingItsLine() {
    assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nm=audio 70000 RTP/AVP 0\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SDP line 2: m= port 70000 outside 0..65535");
  }

  @Test
  void refusesAConnectionLineWithoutAnAddress() {
    assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nc=IN IP4\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("SDP line 2: c= is not 'IN IP4|IP6 address'");
  }

  @Test
  void refusesAHostNameAsConnectionAddressAsUnacceptable() {
    assertThatThrownBy(
            () ->
                SessionDescription.parse(
                    TWO_STREAMS.replace("c=IN IP4 10.0.0.2", "c=IN IP4 rtp.example.net")))
        .isInstanceOf(UnacceptableSdp.class)
        .hasMessage(
            "SDP line 11: c= address 'rtp.example.net' is not a literal IPv4 or IPv6"
                + " address (host names are not resolved)");
  }

  @Test
  void readsIpv6AndMulticastConnectionAddresses() {
    assertThat(SessionDescription.parse("v=0\r\nc=IN IP6 2001:db8::1\r\n").connection())
        .isEqualTo("2001:db8::1");
    assertThat(SessionDescription.parse("v=0\r\nc=IN IP4 224.2.1.1/127\r\n").connection())
        .isEqualTo("224.2.1.1");
  }

  @Test
  void refusesARtpmapPayloadTypeOutOfRange() {
    assertThatThrownBy(
            () ->
                SessionDescription.parse(
                    "v=0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:300 X/8000\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SDP line 3: rtpmap payload type 300 outside 0..127");
  }

  @Test
  void refusesOversizedSdp() {
    String huge = "v=0\r\n" + "a=x\r\n".repeat(4000);
    assertThatThrownBy(() -> SessionDescription.parse(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("> 16384");
  }

  @Test
  void cutsLongGarbageInErrorMessages() {
    String junk = "x".repeat(500);
    assertThatThrownBy(() -> SessionDescription.parse("v=0\r\n" + junk + "\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
  }
}
