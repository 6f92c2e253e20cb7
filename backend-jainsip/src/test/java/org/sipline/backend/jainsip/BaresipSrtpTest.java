package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.media.CollectingSink;
import org.sipline.backend.jainsip.media.G711Bytes;
import org.sipline.backend.jainsip.media.ScriptedSource;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.PcmWav;
import org.sipline.testing.peers.PlainMuLaw;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRTP with baresip's {@code srtp} module ({@code mediaenc=srtp-mand}: RTP/SAVP, SDES keys; and
 * {@code mediaenc=srtp}: RTP/AVP with crypto lines, "best effort"): each call carries audio both
 * ways intact (correlation ≥ 0.9), and a tshark capture of baresip's RTP ports shows none of either
 * side's G.711 bytes — while the same check, with SRTP off and the same signals, finds them (so the
 * check can fail).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaresipSrtpTest {
  private static final Logger log = LoggerFactory.getLogger(BaresipSrtpTest.class);
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int RATE = 8000;
  // Ours ends well before baresip's: baresip hangs up about a second after its file (FACTS.md).
  private static final int OUR_FRAMES = 80;
  private static final int THEIR_FRAMES = 100;
  private static final double MIN_CORRELATION = 0.9;

  private ScriptedSipPeer registrar;

  @BeforeAll
  void startRegistrar() throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
  }

  @AfterAll
  void stopRegistrar() {
    registrar.close();
  }

  /** What one call showed. */
  private record Outcome(
      double oursAtThem, double theirsAtUs, boolean oursInClear, boolean theirsInClear) {}

  @Test
  void weCallBaresipWithSrtpAudioGoesBothWaysAndNothingCrossesInTheClear(@TempDir Path dir)
      throws Exception {
    Outcome o = call(dir, SrtpMode.REQUIRE, "srtp-mand", true);
    assertSecure(o);
  }

  @Test
  void baresipCallsUsWithSrtpAudioGoesBothWaysAndNothingCrossesInTheClear(@TempDir Path dir)
      throws Exception {
    Outcome o = call(dir, SrtpMode.OFFER, "srtp-mand", false);
    assertSecure(o);
  }

  @Test
  void baresipCallsUsWithBestEffortSrtpOnRtpAvpAndWeAnswerWithSrtp(@TempDir Path dir)
      throws Exception {
    // mediaenc=srtp: RTP/AVP with crypto lines; we answer RTP/AVP with our crypto line, and both
    // sides send SRTP.
    assertSecure(call(dir, SrtpMode.OFFER, "srtp", false));
  }

  @Test
  void bestEffortSrtpOnRtpAvpSatisfiesRequire(@TempDir Path dir) throws Exception {
    assertSecure(call(dir, SrtpMode.REQUIRE, "srtp", false));
  }

  @Test
  void withSrtpOffTheSameCheckFindsTheG711BytesOfBothSides(@TempDir Path dir) throws Exception {
    Outcome o = call(dir, SrtpMode.OFF, null, true);
    assertThat(o.oursAtThem()).isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.theirsAtUs()).isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.oursInClear()).as("our PCMU in the capture").isTrue();
    assertThat(o.theirsInClear()).as("baresip's PCMU in the capture").isTrue();
  }

  private static void assertSecure(Outcome o) {
    assertThat(o.oursAtThem()).as("our audio at baresip").isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.theirsAtUs()).as("baresip's audio at us").isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.oursInClear()).as("our PCMU in the capture").isFalse();
    assertThat(o.theirsInClear()).as("baresip's PCMU in the capture").isFalse();
  }

  private Outcome call(Path dir, SrtpMode mode, String mediaEncryption, boolean weCall)
      throws Exception {
    // Signals of this run alone: other tests on lo cannot have sent these bytes.
    Random random = new Random(System.nanoTime());
    short[] ours = signal(random, OUR_FRAMES);
    short[] theirs = signal(random, THEIR_FRAMES);
    Path theirWav = dir.resolve("theirs.wav");
    // baresip plays its file from its own answer or dial, which may be before our media runs,
    // and hangs up soon after its end: silence around the signal keeps all of it in the call.
    short[] file = new short[RATE / 2 + theirs.length + RATE];
    System.arraycopy(theirs, 0, file, RATE / 2, theirs.length);
    PcmWav.write(theirWav, RATE, file);
    RecordingSipEventListener events = new RecordingSipEventListener();
    try (JainSipBackend backend =
            JainSipBackend.start(
                BackendConfig.loopback()
                    .srtp(mode)
                    .options(Map.of(BackendOptions.TRUSTED_SOURCES, "127.0.0.1"))
                    .build());
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("srtp-phone")
                    .withAudioSource(theirWav)
                    .withMediaEncryption(mediaEncryption))) {
      SipAccount line =
          backend.register(
              new AccountSpec(
                  SipUri.of("srtp-line", "127.0.0.1", registrar.port()), "secret", "srtp", null),
              events);
      events.next(Registered.class);
      CollectingSink sink = new CollectingSink();
      ScriptedSource source = new ScriptedSource(ours);
      CallMedia media = new CallMedia(source, sink);
      List<byte[]> payloads;
      try (LoopbackCapture capture =
          LoopbackCapture.start(dir, phone.rtpPortFirst(), phone.rtpPortLast())) {
        SipCall call;
        if (weCall) {
          call = line.call(SipUri.of(phone.user(), "127.0.0.1", phone.port()), Map.of(), media);
          events.next(Ringing.class, WAIT);
        } else {
          phone.dial("sip:srtp-line@127.0.0.1:" + backend.sipPort());
          call = events.next(Incoming.class, WAIT).call();
          call.answer(media);
        }
        events.next(Connected.class, WAIT);
        // baresip hangs up about a second after its file has played (FACTS.md).
        events.next(Ended.class, WAIT);
        assertThat(source.finished()).as("our signal played before baresip hung up").isTrue();
        phone.awaitEvent("CALL_CLOSED", WAIT);
        payloads = capture.stop();
      }
      List<Path> recordings = phone.awaitRecordingComplete(WAIT);
      assertThat(recordings).hasSize(1);
      short[] heard = readPcm(recordings.get(0));
      double oursAtThem =
          AudioCompare.bestMatch(ours, heard, RATE, Duration.ofSeconds(3)).correlation();
      double theirsAtUs =
          AudioCompare.bestMatch(theirs, sink.samples(), RATE, Duration.ofSeconds(3)).correlation();
      boolean oursInClear = PlainMuLaw.foundIn(ours, payloads);
      boolean theirsInClear = PlainMuLaw.foundIn(theirs, payloads);
      log.info(
          "FIGURE srtp {} ({}, {}): ours at baresip {}, baresip's at us {}, {} datagrams captured,"
              + " our PCMU in clear {}, baresip's {}",
          mode.flag(),
          mediaEncryption,
          weCall ? "we call" : "baresip calls",
          String.format("%.3f", oursAtThem),
          String.format("%.3f", theirsAtUs),
          payloads.size(),
          oursInClear,
          theirsInClear);
      assertThat(payloads.size()).as("RTP captured").isGreaterThan(OUR_FRAMES);
      return new Outcome(oursAtThem, theirsAtUs, oursInClear, theirsInClear);
    }
  }

  /** A tone sweep with noise of this run's own, loud enough that no byte run is trivial. */
  private static short[] signal(Random random, int frames) {
    short[] s = ScriptedSource.sweep(frames);
    double start = 300 + random.nextInt(500);
    for (int i = 0; i < s.length; i++) {
      double t = i / (double) RATE;
      s[i] =
          (short)
              (s[i] * 0.5
                  + 6000 * Math.sin(2 * Math.PI * (start + 90 * t) * t)
                  + random.nextInt(801)
                  - 400);
    }
    return s;
  }

  private static short[] readPcm(Path wav) throws Exception {
    return G711Bytes.readWav(wav);
  }
}
