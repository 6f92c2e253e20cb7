package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.media.RecordingSink;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.core.spi.SrtpRefusals;
import org.sipline.testing.ScriptedSource;
import org.sipline.testing.peers.PlainMuLaw;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippResult;
import org.sipline.testing.peers.SippScenario;

/**
 * {@code --srtp} against SIPp, a far end that speaks only plain RTP: {@code require} refuses its
 * call with 488 and a Warning saying why, before the line rings; {@code offer} takes its plain
 * answer to our RTP/SAVP offer and the call carries plain audio both ways.
 */
class SippSrtpTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String AFTER_ACK = "<recv request=\"ACK\" rtd=\"true\" crlf=\"true\"/>";

  @TempDir Path dir;

  private ScriptedSipPeer registrar;
  private JainSipBackend backend;

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (registrar != null) {
      registrar.close();
    }
  }

  private SipAccount start(SrtpMode mode, String user, RecordingSipEventListener events)
      throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend =
        JainSipBackend.start(
            BackendConfig.loopback()
                .srtp(mode)
                .transactionTimeout(Duration.ofSeconds(5))
                .options(Map.of(BackendOptions.TRUSTED_SOURCES, "127.0.0.1"))
                .build());
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "secret", user, null),
            events);
    events.next(Registered.class);
    return account;
  }

  private static void assertSucceeded(Sipp sipp) {
    SippResult result = sipp.awaitExit(WAIT);
    assertThat(result.succeeded())
        .as("SIPp %s\n%s\n%s", result, sipp.errors(), sipp.messages())
        .isTrue();
  }

  @Test
  void requireRefusesAPlainCallerWith488AndAWarningBeforeTheLineRings() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    start(SrtpMode.REQUIRE, "secure-only", events);
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-call-expect-488.xml"),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults().withService("secure-only"))) {
      assertSucceeded(caller);
      String log = caller.messages();
      assertThat(log).contains("SIP/2.0 488 Not Acceptable");
      // RFC 3261 §20.43's 300-series code for a transport the offer did not satisfy, and the
      // reason in words naming the option.
      assertThat(log)
          .containsPattern(
              "Warning: 302 \\S+ \"SRTP is required \\(--srtp require\\) and the audio is offered"
                  + " as plain RTP/AVP\"");
    }
    // Refused before ringing: the line heard of no call, so its status stays what it was.
    events.assertNoMoreEvents(Duration.ofMillis(500));
  }

  @Test
  void offerTakesAPlainAnswerAndTheCallCarriesPlainAudioBothWays() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount account = start(SrtpMode.OFFER, "secure-first", events);
    // SIPp's audio toward us: plain RTP from its media port, replayed from a capture file.
    PhoneRtp theirs = new PhoneRtp(101, 0x5151_5151L, 1_000, 160_000L).audio(50);
    Path pcap = dir.resolve("theirs.pcap");
    PcapWriter.write(pcap, theirs.datagrams());
    SippScenario scenario =
        SippScenario.of(
            "uas-answer-play.xml",
            SippScenario.resource("uas-answer.xml")
                .xml()
                .replace(
                    AFTER_ACK,
                    AFTER_ACK
                        + "<nop><action><exec play_pcap_audio=\""
                        + pcap
                        + "\"/></action></nop>"));
    // Our audio: a signal of this run alone, so its μ-law bytes can be looked for on the wire.
    Random random = new Random(System.nanoTime());
    short[] ours = ScriptedSource.sweep(50);
    for (int i = 0; i < ours.length; i++) {
      ours[i] = (short) (ours[i] / 2 + random.nextInt(4001) - 2000);
    }
    RecordingSink sink = new RecordingSink();
    try (Sipp callee = Sipp.uas(scenario, SippOptions.defaults())) {
      List<byte[]> payloads;
      SipCall call;
      try (LoopbackCapture capture =
          LoopbackCapture.start(dir, callee.mediaPort(), callee.mediaPort())) {
        call =
            account.call(
                SipUri.of("bob", "127.0.0.1", callee.port()),
                Map.of(),
                new CallMedia(new ScriptedSource(ours), sink));
        events.next(Ringing.class, WAIT);
        events.next(Connected.class, WAIT);
        sink.awaitWritten(theirs.audioPackets() * PhoneRtp.FRAME, WAIT);
        payloads = capture.stop();
      }
      RtpStatistics during = call.rtpStatistics();
      call.hangup();
      events.next(Ended.class, WAIT);
      assertSucceeded(callee);

      // Our offer was RTP/SAVP with crypto lines; SIPp answered plain RTP/AVP, which offer takes.
      assertThat(callee.messages()).contains("RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80");
      // Theirs arrived and was decoded as plain RTP (as SRTP every packet would fail its tag).
      assertThat(during.packetsReceived()).isGreaterThanOrEqualTo(theirs.audioPackets());
      assertThat(during.srtp()).isEqualTo(SrtpRefusals.NONE);
      // Ours crossed lo in the clear, as plain G.711 to SIPp's media port.
      assertThat(during.packetsSent()).isPositive();
      assertThat(PlainMuLaw.foundIn(ours, payloads))
          .as("our PCMU in the capture of SIPp's media port (%d datagrams)", payloads.size())
          .isTrue();
    }
  }
}
