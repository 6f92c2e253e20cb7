package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.spi.DtmfEvent.end;
import static org.sipline.core.spi.DtmfEvent.start;
import static org.sipline.core.spi.DtmfMethod.SIP_INFO;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.backend.jainsip.PhoneRtp.Loss;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.RtpCapture.Packet;
import org.sipline.backend.jainsip.media.RecordingSink;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipFailureException;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.ScriptedSource;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippResult;
import org.sipline.testing.peers.SippScenario;

/**
 * DTMF with SIPp as the far end: RFC 4733 events it replays from a pcap written here (known digits,
 * durations and losses), SIP INFO digits it sends, and the digits the backend sends it — as INFO,
 * and as events in the RTP, captured at a port its SDP names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SippDtmfTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String AFTER_ACK = "<recv request=\"ACK\" rtd=\"true\" crlf=\"true\"/>";

  private ScriptedSipPeer registrar;
  private JainSipBackend backend;

  @TempDir Path dir;

  @BeforeAll
  void startBackend() throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend =
        JainSipBackend.start(
            BackendConfig.loopback().transactionTimeout(Duration.ofSeconds(5)).build());
  }

  @AfterAll
  void stopBackend() {
    if (backend != null) {
      backend.close();
    }
    registrar.close();
  }

  private record Line(SipAccount account, RecordingSipEventListener events, String user) {}

  private Line line() throws Exception {
    String user = "dtmf" + USERS.incrementAndGet();
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "secret", user, null),
            events);
    events.next(Registered.class);
    return new Line(account, events, user);
  }

  private static SipUri bob(Sipp sipp) {
    return SipUri.of("bob", "127.0.0.1", sipp.port());
  }

  private static void assertSucceeded(Sipp sipp) {
    SippResult result = sipp.awaitExit(WAIT);
    assertThat(result.succeeded())
        .as("SIPp %s\n%s\n%s", result, sipp.errors(), sipp.messages())
        .isTrue();
  }

  /** SIPp's stock answering scenario with {@code steps} played right after the ACK. */
  private static SippScenario uasWith(String name, String steps) {
    return SippScenario.of(
        name, SippScenario.resource("uas-answer.xml").xml().replace(AFTER_ACK, AFTER_ACK + steps));
  }

  private static String okToLast() {
    return """
        <send>
          <![CDATA[

            SIP/2.0 200 OK
            [last_Via:]
            [last_From:]
            [last_To:]
            [last_Call-ID:]
            [last_CSeq:]
            Content-Length: 0

          ]]>
        </send>
        """;
  }

  // ---- RFC 4733 in ----------------------------------------------------------------------

  @Test
  void digitsSippReplaysAsTelephoneEventsArriveOnceInOrderWithTheirDurations() throws Exception {
    PhoneRtp phone =
        new PhoneRtp(101, 0x5150_5150L, 65_000, 4_000_000_000L)
            .audio(10)
            .digit('1', 100, Loss.NONE)
            .audio(10)
            .digit('#', 200, Loss.START)
            .audio(8)
            .digit('1', 60, Loss.NONE)
            .audio(5)
            .digit('9', 160, Loss.END)
            .digit('0', 100, Loss.NONE)
            .audio(10)
            .digit('A', 80, Loss.END)
            .audio(20);
    Path pcap = dir.resolve("dtmf.pcap");
    PcapWriter.write(pcap, phone.datagrams());
    RecordingSink sink = new RecordingSink();
    Line line = line();
    SippScenario scenario =
        uasWith(
            "uas-play-dtmf.xml",
            "<nop><action><exec play_pcap_audio=\"" + pcap + "\"/></action></nop>");

    try (Sipp callee = Sipp.uas(scenario, SippOptions.defaults())) {
      SipCall call =
          line.account().call(bob(callee), Map.of(), new CallMedia(AudioSource.SILENCE, sink));
      line.events().next(Ringing.class, WAIT);
      line.events().next(Connected.class, WAIT);

      List<DtmfEvent> digits = sink.awaitDtmf(phone.expectedDigits().size(), WAIT);
      sink.awaitWritten(phone.audioPackets() * PhoneRtp.FRAME, WAIT);
      call.hangup();
      line.events().next(Ended.class, WAIT);
      assertSucceeded(callee);

      // The durations are the events' own, to the millisecond (the ±10 ms allowed is not used).
      assertThat(digits).containsExactlyElementsOf(phone.expectedDigits());
      assertThat(sink.dtmf()).as("nothing after").hasSize(digits.size());
      assertThat(sink.written()).isEqualTo(phone.audioPackets() * PhoneRtp.FRAME);
      assertThat(sink.missing()).isEqualTo(phone.expectedMissing());
    }
  }

  // ---- SIP INFO in ----------------------------------------------------------------------

  @Test
  void sipInfoDigitsAreAnsweredAndReportedAndBadOnesRefusedNamingWhy() throws Exception {
    Line line = line();
    RecordingSink sink = new RecordingSink();
    String uac =
        SippScenario.resource("uac-call-caller-bye.xml")
            .xml()
            .replace(
                "<send retrans=\"500\">\n    <![CDATA[\n\n      BYE",
                info("2", "application/dtmf-relay", "Signal=1\nDuration=160", 200)
                    + info("3", "application/dtmf", "#", 200)
                    + info("4", "application/dtmf-relay", "Signal=x", 400)
                    + info("5", "text/plain", "5", 415)
                    + info("6", "application/dtmf-relay", "", 200)
                    + info("7", "Application/DTMF-Relay", "signal= d\nduration = 250", 200)
                    + "<send retrans=\"500\">\n    <![CDATA[\n\n      BYE")
            .replace("CSeq: 3 BYE", "CSeq: 9 BYE");
    assertThat(uac).contains("INFO");

    try (Sipp caller =
        Sipp.uac(
            SippScenario.of("uac-call-info.xml", uac),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults().withService(line.user()))) {
      Incoming incoming = line.events().next(Incoming.class, WAIT);
      incoming.call().answer(new CallMedia(AudioSource.SILENCE, sink));
      line.events().next(Connected.class, WAIT);
      line.events().next(Ended.class, WAIT);
      assertSucceeded(caller);

      assertThat(sink.dtmf())
          .containsExactly(
              start('1', SIP_INFO),
              end('1', 160, SIP_INFO),
              start('#', SIP_INFO),
              end('#', 100, SIP_INFO),
              start('D', SIP_INFO),
              end('D', 250, SIP_INFO));
      assertThat(caller.messages())
          .contains(
              "SIP/2.0 400 Bad DTMF body: Signal 'x' is not a DTMF digit (one of"
                  + " 0123456789*%23ABCD)",
              "SIP/2.0 415 Unsupported media type",
              "Accept: application/dtmf-relay",
              "application/dtmf");
    }
  }

  /** An INFO with CSeq {@code cseq} and {@code body}, expecting {@code code}. */
  private static String info(String cseq, String type, String body, int code) {
    String content =
        body.isEmpty()
            ? "Content-Length: 0\n"
            : "Content-Type: " + type + "\nContent-Length: [len]\n\n" + body + "\n";
    return """
          <send retrans="500">
            <![CDATA[

              INFO [next_url] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              [routes]
              From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: %s INFO
              Max-Forwards: 70
            %s
            ]]>
          </send>
          <recv response="%d"/>
        """
        .formatted(cseq, content, code);
  }

  // ---- SIP INFO out ---------------------------------------------------------------------

  @Test
  void withoutTelephoneEventDigitsGoAsSipInfoAndARefusalFailsTheDigit() throws Exception {
    Line line = line();
    String refused = okToLast().replace("SIP/2.0 200 OK", "SIP/2.0 501 Not Implemented");
    SippScenario scenario =
        SippScenario.of(
            "uas-info-dtmf.xml",
            SippScenario.resource("uas-answer.xml")
                .xml()
                .replace("RTP/AVP 0 8 101", "RTP/AVP 0 8")
                .replace("a=rtpmap:101 telephone-event/8000\n", "")
                .replace("a=fmtp:101 0-16\n", "")
                .replace(
                    AFTER_ACK,
                    AFTER_ACK
                        + "<recv request=\"INFO\"/>"
                        + okToLast()
                        + "<recv request=\"INFO\"/>"
                        + okToLast()
                        + "<recv request=\"INFO\"/>"
                        + refused));
    assertThat(scenario.xml()).doesNotContain("rtpmap:101");

    try (Sipp callee = Sipp.uas(scenario, SippOptions.defaults())) {
      SipCall call =
          line.account()
              .call(bob(callee), Map.of(), new CallMedia(AudioSource.SILENCE, new RecordingSink()));
      line.events().next(Ringing.class, WAIT);
      line.events().next(Connected.class, WAIT);

      assertThatThrownBy(() -> call.sendDtmf('x', 160))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a DTMF digit: 'x' (one of 0123456789*#ABCD)");
      assertThatThrownBy(() -> call.sendDtmf('5', 2001))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("DTMF duration 2001 ms outside 40..2000 ms");
      assertThat(call.sendDtmf('5', 160).get(10, TimeUnit.SECONDS)).isEqualTo(SIP_INFO);
      assertThat(call.sendDtmf('#', 250).get(10, TimeUnit.SECONDS)).isEqualTo(SIP_INFO);
      assertThatThrownBy(() -> call.sendDtmf('0', 100).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SipFailureException.class)
          .hasMessage("501 Not Implemented");
      call.hangup();
      line.events().next(Ended.class, WAIT);
      assertSucceeded(callee);
      assertThatThrownBy(() -> call.sendDtmf('1', 100))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("sendDtmf() needs a connected call");

      assertThat(callee.messages())
          .contains(
              "Content-Type: application/dtmf-relay",
              "Signal=5\r\nDuration=160",
              "Signal=#\r\nDuration=250",
              "Signal=0\r\nDuration=100");
    }
  }

  // ---- RFC 4733 out ---------------------------------------------------------------------

  @Test
  void withTelephoneEventDigitsGoInTheCallsOwnRtpStream() throws Exception {
    Line line = line();
    try (RtpCapture capture = new RtpCapture()) {
      SippScenario scenario =
          SippScenario.of(
              "uas-answer-capture.xml",
              SippScenario.resource("uas-answer.xml")
                  .xml()
                  .replace("m=audio [media_port] ", "m=audio " + capture.port() + " "));
      try (Sipp callee = Sipp.uas(scenario, SippOptions.defaults())) {
        SipCall call =
            line.account()
                .call(
                    bob(callee),
                    Map.of(),
                    new CallMedia(
                        new ScriptedSource(ScriptedSource.sweep(1000)), new RecordingSink()));
        line.events().next(Ringing.class, WAIT);
        line.events().next(Connected.class, WAIT);
        assertThat(call.audioCodec()).isEqualTo("PCMU");
        capture.awaitPackets(5, WAIT);

        assertThat(call.sendDtmf('7', 100).get(10, TimeUnit.SECONDS)).isEqualTo(DtmfMethod.RFC4733);
        assertThat(call.sendDtmf('#', 200).get(10, TimeUnit.SECONDS)).isEqualTo(DtmfMethod.RFC4733);
        int after = capture.packets().size();
        capture.awaitPackets(after + 3, WAIT);
        call.hangup();
        line.events().next(Ended.class, WAIT);
        assertSucceeded(callee);
      }

      List<Packet> packets = capture.packets();
      assertThat(packets).extracting(Packet::ssrc).containsOnly(packets.get(0).ssrc());
      for (int i = 1; i < packets.size(); i++) {
        assertThat(packets.get(i).sequence())
            .as("sequence number of packet %d", i)
            .isEqualTo((packets.get(i - 1).sequence() + 1) & 0xFFFF);
      }
      // The digits follow each other at once: the second was asked for within the first's end.
      Map<Long, List<Packet>> digits = new java.util.LinkedHashMap<>();
      for (Packet p : packets) {
        if (p.payloadType() == 101) {
          digits.computeIfAbsent(p.timestamp(), t -> new ArrayList<>()).add(p);
        }
      }
      assertThat(digits).hasSize(2);
      List<List<Packet>> runs = List.copyOf(digits.values());
      assertDigit(packets, runs.get(0), 7, 800);
      assertDigit(packets, runs.get(1), 11, 1600);
      // The RTP clock ran on under the events: each packet is one tick after the one before,
      // counting an event packet at its event's start plus its place in the event.
      long previous = -1;
      for (Packet p : packets) {
        long tick =
            p.payloadType() == 101
                ? p.timestamp() + 160L * digits.get(p.timestamp()).indexOf(p)
                : p.timestamp();
        if (previous >= 0) {
          assertThat(tick).as("tick of packet %d", p.sequence()).isEqualTo(previous + 160);
        }
        previous = tick;
      }
      assertThat(packets.get(packets.size() - 1).payloadType()).isZero();
    }
  }

  /**
   * One digit as RFC 4733 wants it: consecutive packets of one timestamp, marker first, the
   * duration growing by 160 to {@code samples}, the end three times; sent in real time.
   */
  private static void assertDigit(List<Packet> all, List<Packet> run, int code, int samples) {
    int updates = samples / 160;
    assertThat(run).hasSize(updates + 2);
    Packet first = run.get(0);
    assertThat(all.subList(all.indexOf(first), all.indexOf(first) + run.size()))
        .containsExactlyElementsOf(run);
    for (int i = 0; i < run.size(); i++) {
      Packet p = run.get(i);
      assertThat(p.marker()).as("marker of event packet %d", i).isEqualTo(i == 0);
      assertThat(p.timestamp()).isEqualTo(first.timestamp());
      assertThat(p.event()).isEqualTo(code);
      assertThat(p.end()).as("E bit of event packet %d", i).isEqualTo(i >= updates - 1);
      assertThat(p.duration()).isEqualTo(Math.min((i + 1) * 160, samples));
    }
    // Paced like the audio, not sent in a burst: the run spans its ticks at 20 ms. The bound is
    // loose because two cores are shared with other builds here; a late tick shortens the span.
    double spanMillis = (run.get(run.size() - 1).arrivalNanos() - first.arrivalNanos()) / 1e6;
    assertThat(spanMillis).isBetween(20.0 * (run.size() - 1) - 60, 20.0 * (run.size() - 1) + 60);
  }
}
