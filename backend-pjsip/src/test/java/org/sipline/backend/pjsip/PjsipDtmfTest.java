package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.sipline.core.spi.DtmfMethod.RFC4733;
import static org.sipline.core.spi.DtmfMethod.SIP_INFO;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipFailureException;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * DTMF both ways and the audio reports (sent, skipped, missing) against SIPp far ends: RFC 4733
 * digits replayed from a pcap the test writes, digits in SIP INFOs, digits sent into the test's own
 * RTP socket or to a SIPp that takes INFOs.
 */
class PjsipDtmfTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  /** A received digit's duration may differ from the sent one by this much (MEDIA.md). */
  private static final int DURATION_TOLERANCE_MS = 10;

  /** The telephone-event payload type uas-rtp-to-socket.xml answers with. */
  private static final int SOCKET_EVENT_PT = 101;

  @TempDir Path dir;

  private PjsipTestLine line;
  private RecordingListener listener;
  private SipAccount account;

  @BeforeEach
  void start() throws Exception {
    line = PjsipTestLine.start("alice", b -> b.transactionTimeout(Duration.ofSeconds(4)));
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
  void rfc4733DigitsFromSippArriveInOrderOnceEachWithTheirDurations() throws Exception {
    Path pcap = dir.resolve("digits.pcap");
    new RtpPcap()
        .audio(400)
        .digit('1', 100)
        .audio(200)
        .digit('5', 160)
        .audio(100)
        .digit('5', 80) // the same digit again: a second digit, not an update of the first
        .audio(200)
        .digit('#', 240)
        .digit('9', 60) // right after the previous one, without audio between
        .audio(400)
        .write(pcap);
    MediaProbe probe = new MediaProbe();
    try (Sipp sipp = Sipp.uas(playing(pcap), SippOptions.defaults())) {
      SipCall call = connect(sipp, probe);

      List<DtmfEvent> events = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        events.add(probe.nextDtmf(BOUND));
      }

      assertDigits(
          events,
          RFC4733,
          Map.of('1', 100),
          Map.of('5', 160),
          Map.of('5', 80),
          Map.of('#', 240),
          Map.of('9', 60));
      assertThat(probe.pollDtmf(Duration.ofMillis(500))).as("no duplicate").isNull();
      assertThat(call.audioCodec()).isEqualTo("PCMU");
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void aGapInTheCallersRtpIsReportedMissingInsteadOfConcealedAudio() throws Exception {
    Path pcap = dir.resolve("gap.pcap");
    new RtpPcap().audio(1000).gap(300).audio(1500).write(pcap);
    MediaProbe probe = new MediaProbe();
    try (Sipp sipp = Sipp.uas(playing(pcap), SippOptions.defaults())) {
      SipCall call = connect(sipp, probe);

      // Well into the gap (a frame or two may be concealed when the stream starts)...
      Awaitility.await().atMost(BOUND).until(() -> probe.missing() >= 150 * 8);
      long writtenInGap = probe.written();
      // ...and out of it: 600 ms of audio flowed again (the pcap has 1500 ms after the gap).
      Awaitility.await().atMost(BOUND).until(() -> probe.written() >= writtenInGap + 600 * 8);
      long missing = probe.missing();
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);

      // The gap, give or take what pjmedia's jitter buffer shifts around it: it plays out the
      // frames it buffered when packets stop, fills its prefetch again when they resume, and may
      // conceal a frame when the stream starts.
      assertThat(missing).as(probe.trace()).isBetween(200L * 8, 500L * 8);
      // Nothing is missing before the first packet.
      assertThat(probe.loudBeforeFirstMissing()).as(probe.trace()).isPositive();
      assertThat(probe.violations()).isEmpty();
    }
  }

  /**
   * Packets that come late, together, are the caller's audio all the same: delivered, with nothing
   * missing. pjmedia's jitter buffer makes up the ticks it ran empty for and then holds the late
   * packets; those ticks are no part of the caller's timeline, and its progressive discard, which
   * would drop 10 ms frames of the backlog uncounted, is off.
   */
  @Test
  void packetsThatComeLateTogetherAreDeliveredWithNothingMissing() throws Exception {
    Path pcap = dir.resolve("late.pcap");
    new RtpPcap().audio(1000).hold(200).audio(1500).write(pcap);
    MediaProbe probe = new MediaProbe();
    try (Sipp sipp = Sipp.uas(playing(pcap), SippOptions.defaults())) {
      SipCall call = connect(sipp, probe);

      // Past the held packets: 1000 + 600 ms of the 2500 the caller sent.
      Awaitility.await().atMost(BOUND).until(() -> probe.written() >= 1600 * 8);
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);

      assertThat(probe.missing()).as(probe.trace()).isZero();
      assertThat(probe.violations()).isEmpty();
    }
  }

  @Test
  void digitsInSipInfosArriveAsStartAndEndWithTheirSource() throws Exception {
    MediaProbe probe = new MediaProbe();
    try (Sipp sipp = Sipp.uas(scenario("uas-send-info-dtmf.xml"), SippOptions.defaults())) {
      SipCall call = connect(sipp, probe);

      List<DtmfEvent> events = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        events.add(probe.nextDtmf(BOUND));
      }

      // application/dtmf carries no duration: 0.
      assertThat(events)
          .containsExactly(
              DtmfEvent.start('5', SIP_INFO),
              DtmfEvent.end('5', 160, SIP_INFO),
              DtmfEvent.start('7', SIP_INFO),
              DtmfEvent.end('7', 0, SIP_INFO),
              DtmfEvent.start('#', SIP_INFO),
              DtmfEvent.end('#', 250, SIP_INFO));
      // SIPp's scenario required a 200 for each of the three INFOs.
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void digitsSentWhereTelephoneEventWasNegotiatedGoAsRfc4733InTheCallsOwnStream() throws Exception {
    MediaProbe probe = new MediaProbe();
    try (RtpSocket far = new RtpSocket();
        Sipp sipp = Sipp.uas(toSocket("0", "PCMU"), keys(far))) {
      SipCall call = connect(sipp, probe);
      Awaitility.await().atMost(BOUND).until(() -> far.packets().size() >= 10);

      CompletableFuture<DtmfMethod> four = call.sendDtmf('4', 100);
      assertThat(four.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(RFC4733);
      int sentWhenFourDone = far.packetsSentSoFar();
      // Asked for together: the second waits until the first is done.
      CompletableFuture<DtmfMethod> hash = call.sendDtmf('#', 200);
      CompletableFuture<DtmfMethod> one = call.sendDtmf('1', 40);
      assertThat(hash.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(RFC4733);
      assertThat(one.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(RFC4733);
      long afterDigits = far.packets().size();
      Awaitility.await().atMost(BOUND).until(() -> far.packets().size() >= afterDigits + 10);
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);

      List<RtpSocket.Packet> packets = far.packets();
      Map<Long, List<RtpSocket.Packet>> digits = eventsByTimestamp(packets);
      assertThat(digits).hasSize(3);
      List<List<RtpSocket.Packet>> byDigit = new ArrayList<>(digits.values());
      assertEvent(byDigit.get(0), '4', 100);
      assertEvent(byDigit.get(1), '#', 200);
      assertEvent(byDigit.get(2), '1', 40);
      // The same stream: one SSRC, audio and events alike.
      assertThat(packets.stream().map(RtpSocket.Packet::ssrc).distinct()).hasSize(1);
      // The audio's RTP clock kept step with real time across the digits (pjmedia alone would
      // have moved it 260 ms ahead, see slpj_dtmf.c). A packet may be read late (a loaded host)
      // but never early: the least lateness against the RTP clock before the digits and after
      // them are both the on-time one.
      int firstEvent = packets.indexOf(byDigit.get(0).get(0));
      List<RtpSocket.Packet> lastDigit = byDigit.get(2);
      int afterLastEvent = packets.indexOf(lastDigit.get(lastDigit.size() - 1)) + 1;
      assertThat(leastLatenessMillis(packets.subList(afterLastEvent, packets.size())))
          .as("arrival against the RTP clock after the digits, vs before")
          .isCloseTo(leastLatenessMillis(packets.subList(0, firstEvent)), within(30L));
      // Done once its third end packet was out: sent before the future completed.
      List<RtpSocket.Packet> ofFour = byDigit.get(0);
      assertThat(packets.indexOf(ofFour.get(ofFour.size() - 1))).isLessThan(sentWhenFourDone);
      // Every frame read was reported sent once, before the next read, one per packet sent.
      assertThat(probe.violations()).isEmpty();
      assertThat(probe.sentNotOnWire()).isZero();
      assertSentAsOnTheWire(probe, packets.size());
    }
  }

  @Test
  void framesOfACallTheFarEndHoldsAreReportedSentButNotOnTheWire() throws Exception {
    MediaProbe probe = new MediaProbe();
    try (RtpSocket far = new RtpSocket();
        Sipp sipp = Sipp.uas(SippScenario.resource("uas-hold-and-resume.xml"), keys(far))) {
      SipCall call = connect(sipp, probe);
      Awaitility.await().atMost(BOUND).until(() -> far.packets().size() >= 10);

      // Held (its re-INVITE says sendonly): frames still go to pjsua, none onto the wire.
      Awaitility.await().atMost(BOUND).until(() -> probe.sentNotOnWire() >= 10);
      int packetsWhileHeld = far.packets().size();
      long onWireWhileHeld = probe.sentOnWire();
      // Taken back (sendrecv): on the wire again, a digit included.
      Awaitility.await().atMost(BOUND).until(() -> probe.sentOnWire() >= onWireWhileHeld + 10);
      assertThat(call.sendDtmf('3', 60).get(BOUND.toMillis(), TimeUnit.MILLISECONDS))
          .isEqualTo(RFC4733);
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);

      assertThat(probe.violations()).isEmpty();
      assertThat(far.packets().size()).isGreaterThan(packetsWhileHeld + 10);
      assertThat(eventsByTimestamp(far.packets())).hasSize(1);
      // Every frame is reported once, on the wire or not: as many as RTP packets went out, and
      // as many as were held back.
      assertSentAsOnTheWire(probe, far.packets().size());
      assertThat(probe.sentNotOnWire()).isBetween(10L, 75L);
    }
  }

  @Test
  void digitsGoInSipInfosWhenTheFarEndDidNotNegotiateTelephoneEvent() throws Exception {
    try (Sipp sipp = Sipp.uas(takingInfos("200 OK"), SippOptions.defaults())) {
      SipCall call = connect(sipp, new MediaProbe());

      assertThat(call.sendDtmf('4', 100).get(BOUND.toMillis(), TimeUnit.MILLISECONDS))
          .isEqualTo(SIP_INFO);
      assertThat(call.sendDtmf('D', 250).get(BOUND.toMillis(), TimeUnit.MILLISECONDS))
          .isEqualTo(SIP_INFO);
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
      assertThat(sipp.messages())
          .contains(
              "Content-Type: application/dtmf-relay",
              "Signal=4\r\nDuration=100",
              "Signal=D\r\nDuration=250");
    }
  }

  @Test
  void aRefusedInfoFailsItsDigitWithTheResponse() throws Exception {
    try (Sipp sipp = Sipp.uas(takingInfos("415 Unsupported Media Type"), SippOptions.defaults())) {
      SipCall call = connect(sipp, new MediaProbe());

      CompletableFuture<DtmfMethod> refused = call.sendDtmf('4', 100);
      assertThatThrownBy(() -> refused.get(BOUND.toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SipFailureException.class)
          .hasMessage("415 Unsupported Media Type");
      CompletableFuture<DtmfMethod> again = call.sendDtmf('5', 100);
      assertThatThrownBy(() -> again.get(BOUND.toMillis(), TimeUnit.MILLISECONDS))
          .cause()
          .isInstanceOf(SipFailureException.class);
      // The call goes on.
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void sendDtmfRefusesBadDigitsAndDurationsAndCallsThatAreNotConnected() throws Exception {
    SipCall call =
        account.call(
            SipUri.of("bob", "127.0.0.1", line.silentRegistrar.getLocalPort()),
            Map.of(),
            new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));

    assertThatThrownBy(() -> call.sendDtmf('E', 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a DTMF digit: 'E'");
    assertThatThrownBy(() -> call.sendDtmf('1', 39))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DTMF duration outside 40..2000 ms: 39");
    assertThatThrownBy(() -> call.sendDtmf('1', 2001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DTMF duration outside 40..2000 ms: 2001");
    assertThatThrownBy(() -> call.sendDtmf('1', 100))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("sendDtmf on call ")
        .hasMessageEndingWith(" in state CALLING");
    assertThat(call.audioCodec()).isEmpty();
    call.terminate();
    assertThat(listener.next(BOUND)).startsWith("callEnded LOCAL_TERMINATE");
  }

  @Test
  void theCodecIsTheOneTheFarEndAnswered() throws Exception {
    try (RtpSocket far = new RtpSocket();
        Sipp sipp = Sipp.uas(toSocket("8", "PCMA"), keys(far))) {
      SipCall call = connect(sipp, new MediaProbe());

      Awaitility.await().atMost(BOUND).until(() -> !call.audioCodec().isEmpty());
      assertThat(call.audioCodec()).isEqualTo("PCMA");
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      assertThat(call.audioCodec()).isEmpty();
      sipp.awaitSuccess(BOUND);
    }
  }

  // --- helpers

  private SipCall connect(Sipp sipp, MediaProbe probe) throws InterruptedException {
    SipCall call =
        account.call(SipUri.of("bob", "127.0.0.1", sipp.port()), Map.of(), probe.media());
    assertThat(listener.next(BOUND)).isEqualTo("callConnected");
    return call;
  }

  /** Expected digits in order, each a one-entry map digit → duration ms. */
  @SafeVarargs
  private static void assertDigits(
      List<DtmfEvent> events, DtmfMethod source, Map<Character, Integer>... expected) {
    assertThat(events).hasSize(2 * expected.length);
    for (int i = 0; i < expected.length; i++) {
      Map.Entry<Character, Integer> digit = expected[i].entrySet().iterator().next();
      DtmfEvent start = events.get(2 * i);
      DtmfEvent end = events.get(2 * i + 1);
      assertThat(start).as("event %d", 2 * i).isEqualTo(DtmfEvent.start(digit.getKey(), source));
      assertThat(end.digit()).as("event %d", 2 * i + 1).isEqualTo(digit.getKey());
      assertThat(end.end()).isTrue();
      assertThat(end.source()).isEqualTo(source);
      assertThat(end.durationMillis())
          .as("duration of '%s'", digit.getKey())
          .isCloseTo(digit.getValue(), within(DURATION_TOLERANCE_MS));
    }
  }

  /**
   * As many frames reported sent on the wire as RTP packets went out (give or take 5), counting the
   * ticks the pump missed: the bridge sent silence for those (reported skipped, not sent), so on a
   * loaded host packets outnumber the frames reported sent.
   */
  private static void assertSentAsOnTheWire(MediaProbe probe, long packets) {
    assertThat(probe.sentOnWire())
        .as("frames reported sent on the wire")
        .isLessThanOrEqualTo(packets + 5);
    assertThat(probe.sentOnWire() + probe.skipped())
        .as("frames reported sent on the wire or skipped")
        .isGreaterThanOrEqualTo(packets - 5);
  }

  /** The least of the audio packets' arrival time minus their RTP time, in ms. */
  private static long leastLatenessMillis(List<RtpSocket.Packet> packets) {
    return packets.stream()
        .filter(p -> p.payloadType() == 0)
        .mapToLong(p -> p.arrivalNanos() / 1_000_000 - p.timestamp() / 8)
        .min()
        .orElseThrow(() -> new AssertionError("no audio packet in " + packets));
  }

  /** RFC 4733 packets grouped by their event's timestamp, in order of arrival. */
  private static Map<Long, List<RtpSocket.Packet>> eventsByTimestamp(List<RtpSocket.Packet> all) {
    Map<Long, List<RtpSocket.Packet>> events = new LinkedHashMap<>();
    for (RtpSocket.Packet p : all) {
      if (p.isEvent(SOCKET_EVENT_PT)) {
        events.computeIfAbsent(p.timestamp(), t -> new ArrayList<>()).add(p);
      }
    }
    return events;
  }

  /**
   * One digit's packets: marker on the first only, the digit throughout, durations growing to the
   * digit's length, then exactly three end packets with it.
   */
  private static void assertEvent(List<RtpSocket.Packet> packets, char digit, int millis) {
    assertThat(packets.get(0).marker()).as("marker on the first packet of '%s'", digit).isTrue();
    int previous = 0;
    int ends = 0;
    for (int i = 0; i < packets.size(); i++) {
      RtpSocket.Packet p = packets.get(i);
      assertThat(p.eventDigit()).isEqualTo(digit);
      if (i > 0) {
        assertThat(p.marker()).isFalse();
      }
      assertThat(p.eventDuration()).isGreaterThanOrEqualTo(previous);
      previous = p.eventDuration();
      if (p.eventEnd()) {
        ends++;
        assertThat(p.eventDuration()).as("end duration of '%s'", digit).isEqualTo(millis * 8);
      } else {
        assertThat(ends).as("an update after an end packet of '%s'", digit).isZero();
      }
    }
    assertThat(ends).as("end packets of '%s'", digit).isEqualTo(3);
  }

  private SippScenario playing(Path pcap) {
    return scenario("uas-play-pcap.xml").replace("@PCAP@", pcap.toString());
  }

  private static SippScenario toSocket(String payloadType, String codec) {
    return scenario("uas-rtp-to-socket.xml")
        .replace("@CODEC_PT@", payloadType)
        .replace("@CODEC_NAME@", codec);
  }

  private static SippScenario takingInfos(String answer) {
    return scenario("uas-take-info-dtmf.xml").replace("@INFO_ANSWER@", answer);
  }

  private static SippOptions keys(RtpSocket far) {
    return SippOptions.defaults().withKey("rtp_port", Integer.toString(far.port()));
  }

  /** A scenario of this module's test resources ({@code /sipp/}). */
  static SippScenario scenario(String name) {
    try (InputStream in = PjsipDtmfTest.class.getResourceAsStream("/sipp/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no scenario /sipp/" + name);
      }
      return SippScenario.of(name, new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new IllegalStateException("reading scenario " + name, e);
    }
  }
}
