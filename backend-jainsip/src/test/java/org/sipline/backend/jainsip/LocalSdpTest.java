package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Offer/answer (RFC 3264) as we do it: what we offer, what we agree to, what we refuse. */
class LocalSdpTest {
  private static SessionDescription offer(String media, String connection) {
    return SessionDescription.parse(
        "v=0\r\no=x 1 1 IN IP4 10.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 "
            + connection
            + "\r\nt=0 0\r\n"
            + media);
  }

  @Test
  void offerNamesOurAddressPortCodecsTelephoneEventAndPtime() {
    String offer = new LocalSdp("192.0.2.7", 40000, 42).offer();
    assertThat(offer)
        .startsWith("v=0\r\no=sipline 42 0 IN IP4 192.0.2.7\r\n")
        .contains(
            "c=IN IP4 192.0.2.7\r\n",
            "m=audio 40000 RTP/AVP 0 8 101\r\n",
            "a=rtpmap:0 PCMU/8000\r\n",
            "a=rtpmap:8 PCMA/8000\r\n",
            "a=rtpmap:101 telephone-event/8000\r\n",
            "a=fmtp:101 0-16\r\n",
            "a=ptime:20\r\n",
            "a=sendrecv\r\n");
  }

  @Test
  void holdIsReadFromTheStreamsDirectionTheSessionsOrAnAddressOfZeros() {
    MediaPlan media =
        LocalSdp.planFor(offer("m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n", "10.0.0.1"));
    assertThat(media.direction()).isEqualTo("sendonly");
    assertThat(media.weSend()).isFalse();
    MediaPlan session =
        LocalSdp.planFor(
            SessionDescription.parse(
                "v=0\r\nc=IN IP4 10.0.0.1\r\na=inactive\r\nm=audio 4000 RTP/AVP 0\r\n"));
    assertThat(session.direction()).isEqualTo("inactive");
    MediaPlan legacy = LocalSdp.planFor(offer("m=audio 4000 RTP/AVP 0\r\n", "0.0.0.0"));
    assertThat(legacy.direction()).isEqualTo("inactive");
    assertThat(legacy.remote()).isNull();
    MediaPlan recvonly =
        LocalSdp.planFor(offer("m=audio 4000 RTP/AVP 0\r\na=recvonly\r\n", "10.0.0.1"));
    assertThat(recvonly.weSend()).isTrue();
    LocalSdp ours = new LocalSdp("192.0.2.7", 40000, 1);
    SessionDescription held = offer("m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n", "10.0.0.1");
    String answer = ours.answer(held, LocalSdp.planFor(held));
    assertThat(answer).contains("a=recvonly\r\n");
    // A session refresh offers what we sent last, version and all.
    assertThat(ours.repeat()).isEqualTo(answer);
  }

  @Test
  void answerTakesOurFirstG711TheOfferHasAndItsTelephoneEventType() {
    // Our preference decides (--codecs; PCMU before PCMA here), not the offer's order.
    SessionDescription offer =
        offer("m=audio 4000 RTP/AVP 18 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\n", "10.0.0.1");
    MediaPlan plan = LocalSdp.planFor(offer);
    assertThat(plan).isEqualTo(new MediaPlan(new InetSocketAddress("10.0.0.1", 4000), 0, 96));
    String answer = new LocalSdp("192.0.2.7", 40000, 1).answer(offer, plan);
    assertThat(answer)
        .contains(
            "m=audio 40000 RTP/AVP 0 96\r\n",
            "a=rtpmap:0 PCMU/8000\r\n",
            "a=rtpmap:96 telephone-event/8000\r\n",
            "a=sendrecv\r\n");
  }

  @Test
  void answerRefusesEveryOtherStreamWithPortZeroKeepingTheirOrder() {
    SessionDescription offer =
        offer(
            "m=video 5000 RTP/AVP 96\r\nm=audio 4000 RTP/AVP 0\r\n" + "m=audio 4002 RTP/AVP 8\r\n",
            "10.0.0.1");
    String answer = new LocalSdp("192.0.2.7", 40000, 1).answer(offer, LocalSdp.planFor(offer));
    assertThat(answer)
        .containsSubsequence(
            "m=video 0 RTP/AVP 96\r\n", "m=audio 40000 RTP/AVP 0\r\n", "m=audio 0 RTP/AVP 8\r\n");
  }

  @Test
  void answerMirrorsTheOfferedDirection() {
    SessionDescription offer = offer("m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n", "10.0.0.1");
    assertThat(new LocalSdp("192.0.2.7", 40000, 1).answer(offer, LocalSdp.planFor(offer)))
        .contains("a=recvonly\r\n");
  }

  @Test
  void noG711MeansNoPlan() {
    assertThat(LocalSdp.planFor(offer("m=audio 4000 RTP/AVP 18 9\r\n", "10.0.0.1"))).isNull();
    assertThat(LocalSdp.planFor(offer("m=audio 0 RTP/AVP 0\r\n", "10.0.0.1"))).isNull();
    assertThat(LocalSdp.planFor(offer("m=image 4000 udptl t38\r\n", "10.0.0.1"))).isNull();
  }

  @Test
  void holdAddressMeansLatchOntoTheFirstSource() {
    MediaPlan plan = LocalSdp.planFor(offer("m=audio 4000 RTP/AVP 0\r\n", "0.0.0.0"));
    assertThat(plan.remote()).isNull();
    assertThat(plan.payloadType()).isZero();
    assertThat(plan.telephoneEvent()).isEqualTo(MediaPlan.NO_TELEPHONE_EVENT);
  }

  @Test
  void answerToOurOfferYieldsTheCodecThePeerPicked() {
    SessionDescription answer =
        offer(
            "m=audio 4100 RTP/AVP 8 101\r\n" + "a=rtpmap:101 telephone-event/8000\r\n", "10.0.0.9");
    assertThat(LocalSdp.planFromAnswer(answer))
        .isEqualTo(new MediaPlan(new InetSocketAddress("10.0.0.9", 4100), 8, 101));
  }

  @Test
  void sessionVersionGrowsWithEveryDescription() {
    LocalSdp sdp = new LocalSdp("192.0.2.7", 40000, 5);
    assertThat(sdp.offer()).contains("o=sipline 5 0 ");
    assertThat(sdp.offer()).contains("o=sipline 5 1 ");
  }

  @Test
  void ipv6AddressesAreWrittenAsIp6() {
    assertThat(new LocalSdp("2001:db8::7", 40000, 1).offer()).contains("c=IN IP6 2001:db8::7\r\n");
  }
}
