package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
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

/**
 * SRTP through pjsua with baresip's {@code srtp} module ({@code mediaenc=srtp-mand}: RTP/SAVP, SDES
 * keys), as jainsip's {@code BaresipSrtpTest}: a call each way carries audio both ways intact
 * (correlation ≥ 0.9), and a capture of baresip's RTP ports holds none of either side's μ-law
 * bytes; the same check with SRTP off and the same kind of signals finds them (so it can fail).
 * pjsip's own log, written at level 5 (SIP messages, and the streams' keys before redaction), names
 * no key.
 */
class PjsipBaresipSrtpTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int RATE = AudioFrames.SAMPLE_RATE;
  // Ours ends well before baresip's: baresip hangs up about a second after its file (FACTS.md).
  private static final int OUR_FRAMES = 80;
  private static final int THEIR_FRAMES = 100;
  private static final double MIN_CORRELATION = 0.9;

  /** What one call showed. */
  private record Outcome(
      double oursAtThem,
      double theirsAtUs,
      boolean oursInClear,
      boolean theirsInClear,
      String pjsipLog) {}

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
    // The SDP with its crypto lines is in the log, the keys are not.
    assertThat(o.pjsipLog()).contains("a=crypto:").contains("inline:<redacted>");
    assertThat(o.pjsipLog()).doesNotContainPattern("inline:(?!<redacted>)");
    assertThat(o.pjsipLog()).doesNotContainPattern(" key=(?!<redacted>)");
  }

  private Outcome call(Path dir, SrtpMode mode, String mediaEncryption, boolean weCall)
      throws Exception {
    NativeShimAvailable.assumeSrtp();
    assumeTrue(UdpCapture.dumpcap() != null, "dumpcap is not installed");
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
    Path pjsipLog = dir.resolve("pjsip.log");
    RecordingListener listener = new RecordingListener();
    Outcome outcome;
    try (DatagramSocket silentRegistrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        PjsipBackend backend =
            (PjsipBackend)
                new PjsipBackendProvider()
                    .create(
                        BackendConfig.loopback()
                            .srtp(mode)
                            .registerTimeout(Duration.ofMillis(300))
                            .options(
                                Map.of(
                                    PjsipBackend.OPTION_LOG_FILE,
                                    pjsipLog.toString(),
                                    PjsipBackend.OPTION_LOG_LEVEL,
                                    "5"))
                            .build());
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("srtp-phone")
                    .withAudioSource(theirWav)
                    .withMediaEncryption(mediaEncryption))) {
      // The registrar never answers; its host (127.0.0.1) is trusted for baresip's INVITE.
      SipAccount line =
          backend.register(
              new AccountSpec(
                  SipUri.of("srtp-line", "127.0.0.1", silentRegistrar.getLocalPort()),
                  "pw",
                  "srtp-line",
                  null),
              listener);
      assertThat(listener.next(WAIT)).startsWith("registrationFailed");
      Collecting sink = new Collecting();
      Scripted source = new Scripted(ours);
      CallMedia media = new CallMedia(source, sink);
      List<byte[]> payloads;
      try (UdpCapture capture =
          UdpCapture.bothWays(dir, phone.rtpPortFirst(), phone.rtpPortLast())) {
        if (weCall) {
          line.call(SipUri.of(phone.user(), "127.0.0.1", phone.port()), Map.of(), media);
          assertThat(listener.next(WAIT)).startsWith("callRinging");
        } else {
          phone.dial("sip:srtp-line@127.0.0.1:" + backend.sipPort());
          assertThat(listener.next(WAIT)).startsWith("incomingCall");
          SipCall call = listener.lastIncoming;
          call.answer(media);
        }
        assertThat(listener.next(WAIT)).isEqualTo("callConnected");
        // baresip hangs up about a second after its file has played (FACTS.md).
        assertThat(listener.next(WAIT)).isEqualTo("callEnded REMOTE_BYE");
        assertThat(source.finished()).as("our signal played before baresip hung up").isTrue();
        phone.awaitEvent("CALL_CLOSED", WAIT);
        payloads = capture.stopAndRead();
      }
      List<Path> recordings = phone.awaitRecordingComplete(WAIT);
      assertThat(recordings).hasSize(1);
      short[] heard = readWav(recordings.get(0));
      double oursAtThem =
          AudioCompare.bestMatch(ours, heard, RATE, Duration.ofSeconds(3)).correlation();
      double theirsAtUs =
          AudioCompare.bestMatch(theirs, sink.samples(), RATE, Duration.ofSeconds(3)).correlation();
      boolean oursInClear = PlainMuLaw.foundIn(ours, payloads);
      boolean theirsInClear = PlainMuLaw.foundIn(theirs, payloads);
      System.out.printf(
          "FIGURE pjsip srtp %s (%s, %s): ours at baresip %.3f, baresip's at us %.3f, %d datagrams"
              + " captured, our PCMU in clear %s, baresip's %s%n",
          mode.flag(),
          mediaEncryption,
          weCall ? "we call" : "baresip calls",
          oursAtThem,
          theirsAtUs,
          payloads.size(),
          oursInClear,
          theirsInClear);
      assertThat(payloads.size()).as("RTP captured").isGreaterThan(OUR_FRAMES);
      outcome = new Outcome(oursAtThem, theirsAtUs, oursInClear, theirsInClear, "");
    }
    // The log is complete once the backend closed (the shim flushes it then).
    return new Outcome(
        outcome.oursAtThem(),
        outcome.theirsAtUs(),
        outcome.oursInClear(),
        outcome.theirsInClear(),
        Files.readString(pjsipLog));
  }

  /** A tone sweep with noise of this run's own, loud enough that no byte run is trivial. */
  private static short[] signal(Random random, int frames) {
    short[] s = new short[frames * AudioFrames.FRAME_SAMPLES];
    double start = 300 + random.nextInt(500);
    for (int i = 0; i < s.length; i++) {
      double t = i / (double) RATE;
      s[i] =
          (short)
              (6000 * Math.sin(2 * Math.PI * (200 + 4000 * t) * t)
                  + 6000 * Math.sin(2 * Math.PI * (start + 90 * t) * t)
                  + random.nextInt(801)
                  - 400);
    }
    return s;
  }

  /** A 16-bit mono WAV's samples (baresip's recording), read with Java Sound. */
  private static short[] readWav(Path wav) throws Exception {
    try (javax.sound.sampled.AudioInputStream in =
        javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
      javax.sound.sampled.AudioFormat f = in.getFormat();
      assertThat(f.getSampleSizeInBits()).isEqualTo(16);
      assertThat(f.getChannels()).isEqualTo(1);
      byte[] b = in.readAllBytes();
      short[] out = new short[b.length / 2];
      java.nio.ByteBuffer.wrap(b)
          .order(f.isBigEndian() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN)
          .asShortBuffer()
          .get(out);
      return out;
    }
  }

  /** Plays a fixed sample array once in 20 ms frames, then silence. */
  private static final class Scripted implements AudioSource {
    private final short[] audio;
    private volatile int position;

    Scripted(short[] audio) {
      this.audio = audio.clone();
    }

    @Override
    public boolean read(short[] frame) {
      int p = position;
      if (p >= audio.length) {
        Arrays.fill(frame, (short) 0);
        return false;
      }
      int n = Math.min(frame.length, audio.length - p);
      System.arraycopy(audio, p, frame, 0, n);
      Arrays.fill(frame, n, frame.length, (short) 0);
      position = p + n;
      return true;
    }

    boolean finished() {
      return position >= audio.length;
    }
  }

  /** Keeps every sample written. */
  private static final class Collecting implements AudioSink {
    private short[] samples = new short[1024];
    private int size;

    @Override
    public synchronized void write(short[] pcm, int offset, int length) {
      if (size + length > samples.length) {
        samples = Arrays.copyOf(samples, Math.max(samples.length * 2, size + length));
      }
      System.arraycopy(pcm, offset, samples, size, length);
      size += length;
    }

    synchronized short[] samples() {
      return Arrays.copyOf(samples, size);
    }
  }
}
