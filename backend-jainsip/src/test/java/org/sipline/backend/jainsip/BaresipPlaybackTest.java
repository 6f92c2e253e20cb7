package org.sipline.backend.jainsip;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.AudioCompare.Match;
import org.sipline.testing.AudioCompare.Span;
import org.sipline.testing.StatusProbe;
import org.sipline.testing.TestSignals;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.PcmWav;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sipline plays is what a real phone hears: a line on the jainsip backend, registered at
 * Kamailio and using it as outbound proxy, calls a baresip registered there (auto-answer, recording
 * what it receives), plays WAV files, hangs up; baresip's recording is compared with what was
 * played.
 *
 * <p>Measures, all on baresip's recording at 8 kHz:
 *
 * <ul>
 *   <li><em>match</em>: the normalised cross-correlation at the best lag ({@link
 *       AudioCompare#bestMatch}) of the played signal (at 8 kHz) inside the recording; at least
 *       {@value #MIN_CORRELATION}.
 *   <li><em>active length</em>: from the start of the first to the end of the last 10 ms window
 *       whose RMS exceeds {@value #ACTIVE_RMS} (about -50 dBFS; G.711 silence decodes to 0 or ±8),
 *       measured the same way on the recording and on the reference; they differ by at most {@link
 *       #LENGTH_TOLERANCE}. The windows are not aligned with the audio, so the measurement itself
 *       can be off by up to 10 ms at each end.
 *   <li><em>muted span</em>: a run of 10 ms windows whose RMS is at most {@value #MUTED_RMS} (twice
 *       the ±8 of A-law's silence code).
 * </ul>
 *
 * <p>Kamailio and the backend are shared by the tests; each test has its own baresip user (its
 * recordings are its own) and its own line. Every process is stopped by the fixtures' close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaresipPlaybackTest {
  private static final Logger log = LoggerFactory.getLogger(BaresipPlaybackTest.class);
  private static final int RATE = 8000;
  private static final int FRAME = RATE / 50;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration MAX_LAG = Duration.ofSeconds(3);
  private static final double MIN_CORRELATION = 0.9;
  private static final Duration LENGTH_TOLERANCE = Duration.ofMillis(40);
  private static final double ACTIVE_RMS = 100;
  private static final double MUTED_RMS = 16;
  private static final String NARROWBAND = "narrowband";
  private static final String WIDEBAND = "wideband";
  private static final String MUTED = "muted";

  /**
   * One phone per test, and one line account per phone: a test that fails mid-call leaves an
   * account behind in the shared backend, and the next test must not collide with it.
   */
  private static final List<String> PHONES = List.of(NARROWBAND, WIDEBAND, MUTED);

  private static final String LINE_PASSWORD = "line-pw";
  private static final String PHONE_PASSWORD = "phone-pw";

  private Kamailio kamailio;
  private SipBackend backend;

  @TempDir Path dir;

  @BeforeAll
  void startRegistrarAndBackend() {
    KamailioOptions options = KamailioOptions.defaults();
    for (String phone : PHONES) {
      options = options.withUser(phone, PHONE_PASSWORD).withUser(lineUser(phone), LINE_PASSWORD);
    }
    kamailio = Kamailio.start(options);
    try {
      backend =
          new JainSipBackendProvider()
              .create(
                  BackendConfig.loopback()
                      .registerTimeout(Duration.ofSeconds(5))
                      .transactionTimeout(Duration.ofSeconds(10))
                      .build());
    } catch (RuntimeException e) {
      kamailio.close();
      throw e;
    }
  }

  @AfterAll
  void stopRegistrarAndBackend() {
    try {
      if (backend != null) {
        backend.close();
      }
    } finally {
      if (kamailio != null) {
        kamailio.close();
      }
    }
  }

  @Test
  void playedWavIsRecordedIntactByThePhone() throws Exception {
    short[] reference = syllables(2500);
    byte[] wav = mono8k("syllables.wav", reference);

    short[] recorded =
        callPlayAndRecord(
            BaresipOptions.defaults().withUser(NARROWBAND),
            line -> line.playWavFiles(List.of(wav)));

    assertIntact("8 kHz mono noise", reference, recorded);
  }

  @Test
  void wavAt44kHzStereoIsResampledDownmixedAndRecordedIntact() throws Exception {
    int fileRate = 44_100;
    Duration length = Duration.ofMillis(2500);
    // The mid signal (L+R)/2 is an up-chirp; the side signal (L-R)/2 a down-chirp as loud. A
    // downmix that kept only one channel would be half side: correlation about 0.7, not ≥ 0.9.
    short[] mid = chirp(300, 3000, fileRate, length, 8000);
    short[] side = chirp(3000, 300, fileRate, length, 8000);
    byte[] wav = stereoWav(fileRate, sum(mid, side, 1), sum(mid, side, -1));
    short[] reference = chirp(300, 3000, RATE, length, 8000);

    short[] recorded =
        callPlayAndRecord(
            BaresipOptions.defaults().withUser(WIDEBAND), line -> line.playWavFiles(List.of(wav)));

    assertIntact("44.1 kHz stereo chirp", reference, recorded);
  }

  /**
   * Three requests queued back to back, so they play without a gap: A, then B muted, then C. Muting
   * as A's request completes and unmuting as B's does leaves B's time silent (playback time runs on
   * while muted) and A and C where they would have been. On A-law, whose silence decodes to ±8, not
   * 0.
   */
  @Test
  void mutedSpanIsSilentInTheRecordingAndPlaybackTimeRunsOn() throws Exception {
    // One second each, 50 whole frames: every file starts at a frame's first sample, so the
    // mute issued at A's end can take effect exactly at B's first frame.
    short[] a = TestSignals.noise(1, RATE, 8000);
    short[] b = TestSignals.noise(2, RATE, 8000);
    short[] c = TestSignals.noise(3, RATE, 8000);
    byte[] wavA = mono8k("a.wav", a);
    byte[] wavB = mono8k("b.wav", b);
    byte[] wavC = mono8k("c.wav", c);
    List<CompletableFuture<LineStatus>> toggles = new ArrayList<>();

    short[] recorded =
        callPlayAndRecord(
            BaresipOptions.defaults().withUser(MUTED).withCodecs("PCMA"),
            line -> {
              CompletableFuture<LineStatus> playedA = line.playWavFiles(List.of(wavA));
              CompletableFuture<LineStatus> playedB = line.playWavFiles(List.of(wavB));
              CompletableFuture<LineStatus> playedC = line.playWavFiles(List.of(wavC));
              // Composed, not awaited here: the mute must reach the queue before B's first frame
              // is read, 20 ms after A's last one, so it is issued where A's completion lands.
              toggles.add(playedA.thenCompose(s -> line.mute()));
              toggles.add(playedB.thenCompose(s -> line.unmute()));
              return playedC;
            });

    assertThat(get(toggles.get(0)).type()).isEqualTo(StatusType.MICROPHONE_MUTED);
    assertThat(get(toggles.get(1)).type()).isEqualTo(StatusType.MICROPHONE_UNMUTED);
    // C lies 2 s (A and B) further into the recording than A.
    Duration window = MAX_LAG.plusSeconds(2);
    Match matchA = AudioCompare.bestMatch(a, recorded, RATE, window);
    Match matchC = AudioCompare.bestMatch(c, recorded, RATE, window);
    int endA = matchA.lagSamples() + a.length;
    Span gap = longestSilence(recorded, endA, matchC.lagSamples());
    double gapRms = AudioCompare.rms(recorded, gap.from(), gap.to());
    log.info(
        "muted: A {} (corr {}), C {} (corr {}); C starts {} ms after A ends; silent span "
            + "{}..{} ms = {} ms of B's {} ms, RMS {}",
        ms(matchA.lagSamples()),
        fmt(matchA.correlation()),
        ms(matchC.lagSamples()),
        fmt(matchC.correlation()),
        ms(matchC.lagSamples() - endA),
        ms(gap.from()),
        ms(gap.to()),
        ms(gap.length()),
        ms(b.length),
        fmt(gapRms));

    assertThat(matchA.correlation())
        .as("A in the recording: %s", matchA)
        .isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(matchC.correlation())
        .as("C in the recording: %s", matchC)
        .isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(ms(matchC.lagSamples() - endA))
        .as("C starts B's length after A ends")
        .isCloseTo(ms(b.length), offset(tolerance()));
    assertThat(ms(gap.length()))
        .as("silent span between A and C, %s", gap)
        .isCloseTo(ms(b.length), offset(tolerance()));
    assertThat(gapRms).as("RMS of the muted span").isLessThanOrEqualTo(MUTED_RMS);
  }

  // ---- one call ----------------------------------------------------------------------------

  /** What the test plays once the call's RTP has reached the phone; completes when played. */
  private interface Playing {
    CompletableFuture<LineStatus> start(Line line);
  }

  /**
   * Starts the phone, registers the line and calls the phone through Kamailio, plays, hangs up
   * (soft) and returns the phone's complete recording of the call, 8 kHz.
   */
  private short[] callPlayAndRecord(BaresipOptions phoneOptions, Playing playing) throws Exception {
    try (Baresip phone =
            Baresip.start(phoneOptions.withRegistrar(kamailio.hostPort(), PHONE_PASSWORD));
        Line line = Line.open(backend, LineConfig.defaults());
        StatusProbe probe = new StatusProbe(line)) {
      String account = lineUser(phone.user()) + "@" + kamailio.hostPort();
      assertThat(get(line.registerAccount(account, LINE_PASSWORD, "", kamailio.hostPort())).type())
          .isEqualTo(StatusType.REGISTERED);
      assertThat(get(line.startSession(account, 0)).type()).isEqualTo(StatusType.SESSION_STARTED);
      assertThat(get(line.startCall(phone.user() + "@" + kamailio.hostPort(), Map.of())).type())
          .isEqualTo(StatusType.OUTGOING_CALL_INITIATED);
      probe.await(StatusType.OUTGOING_CALL_CONNECTED, WAIT);
      // The phone receives our RTP (silence so far): its recording has started, and the
      // played audio will have silence before it.
      phone.awaitEvent("CALL_RTPESTAB", WAIT);

      LineStatus played = get(playing.start(line));

      assertThat(played.type())
          .as(played.description())
          .isEqualTo(StatusType.MICROPHONE_WAV_FILES_PLAYED);
      assertThat(get(line.endCall(false)).type()).isEqualTo(StatusType.SOFT_HANGUP_INITIATED);
      probe.await(StatusType.OUTGOING_CALL_FINISHED, WAIT);
      phone.awaitEvent("CALL_CLOSED", WAIT);
      List<Path> recordings = phone.awaitRecordingComplete(WAIT);
      assertThat(recordings).hasSize(1);
      WavAudio audio = WavReader.read(Files.readAllBytes(recordings.get(0)));
      assertThat(audio.sampleRate()).isEqualTo(RATE);
      get(line.shutdown());
      return audio.samples();
    }
  }

  private static String lineUser(String phone) {
    return "line-" + phone;
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
  }

  // ---- measuring ---------------------------------------------------------------------------

  private static void assertIntact(String what, short[] reference, short[] recorded) {
    Match match = AudioCompare.bestMatch(reference, recorded, RATE, MAX_LAG);
    Span sent = activeSpan(reference);
    Span heard = activeSpan(recorded);
    log.info(
        "{}: correlation {} at lag {} ms; active {} ms in the recording ({}..{} ms) vs {} "
            + "ms in the reference; recording {} ms",
        what,
        fmt(match.correlation()),
        ms(match.lagSamples()),
        ms(heard.length()),
        ms(heard.from()),
        ms(heard.to()),
        ms(sent.length()),
        ms(recorded.length));

    assertThat(match.correlation())
        .as("%s: %s", what, match)
        .isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(ms(heard.length()))
        .as("%s: active length, recording %s vs reference %s", what, heard, sent)
        .isCloseTo(ms(sent.length()), offset(tolerance()));
  }

  /** From the first to the last 10 ms window whose RMS is above {@value #ACTIVE_RMS}. */
  private static Span activeSpan(short[] samples) {
    int window = RATE / 100;
    int first = -1;
    int last = -1;
    for (int from = 0; from < samples.length; from += window) {
      int to = Math.min(samples.length, from + window);
      if (AudioCompare.rms(samples, from, to) > ACTIVE_RMS) {
        if (first < 0) {
          first = from;
        }
        last = to;
      }
    }
    if (first < 0) {
      throw new AssertionError(
          "no 10 ms window above RMS " + ACTIVE_RMS + " in " + ms(samples.length) + " ms of audio");
    }
    return new Span(first, last);
  }

  /** The longest run of muted windows overlapping {@code [from, to)}. */
  private static Span longestSilence(short[] samples, int from, int to) {
    return AudioCompare.silentSpans(samples, RATE, MUTED_RMS, Duration.ofMillis(10)).stream()
        .filter(s -> s.to() > from && s.from() < to)
        .max(Comparator.comparingInt(Span::length))
        .orElseThrow(
            () ->
                new AssertionError(
                    "no window with RMS <= "
                        + MUTED_RMS
                        + " between "
                        + ms(from)
                        + " and "
                        + ms(to)
                        + " ms"));
  }

  private static double tolerance() {
    return LENGTH_TOLERANCE.toMillis();
  }

  private static double ms(int samples) {
    return samples * 1000.0 / RATE;
  }

  private static String fmt(double value) {
    return String.format("%.4f", value);
  }

  // ---- signals -----------------------------------------------------------------------------

  /**
   * Noise under a 3 Hz envelope that never falls below a tenth: structure a speech codec path must
   * keep, one sharp correlation peak, and edges well above the activity threshold. A whole number
   * of 20 ms frames long.
   */
  private static short[] syllables(int millis) {
    int length = millis * RATE / 1000 / FRAME * FRAME;
    short[] noise = TestSignals.noise(7, length, 8000);
    for (int i = 0; i < length; i++) {
      double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 3 * i / RATE);
      noise[i] = (short) Math.round(noise[i] * envelope);
    }
    return noise;
  }

  /** A linear sweep from {@code fromHz} to {@code toHz} at {@code rate}, constant amplitude. */
  private static short[] chirp(
      double fromHz, double toHz, int rate, Duration length, int amplitude) {
    int n = (int) (length.toMillis() * rate / 1000);
    double seconds = length.toMillis() / 1000.0;
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double phase = 2 * Math.PI * (fromHz * t + (toHz - fromHz) * t * t / (2 * seconds));
      s[i] = (short) Math.round(amplitude * Math.sin(phase));
    }
    return s;
  }

  /** {@code a + sign·b}, sample by sample. */
  private static short[] sum(short[] a, short[] b, int sign) {
    short[] s = new short[a.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (a[i] + sign * b[i]);
    }
    return s;
  }

  private byte[] mono8k(String name, short[] samples) throws Exception {
    Path file = dir.resolve(name);
    PcmWav.write(file, RATE, samples);
    return Files.readAllBytes(file);
  }

  /** A 16-bit PCM stereo WAV file (PcmWav writes mono only). */
  private static byte[] stereoWav(int rate, short[] left, short[] right) {
    int dataBytes = left.length * 4;
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVEfmt ".getBytes(US_ASCII))
        .putInt(16)
        .putShort((short) 1) // PCM
        .putShort((short) 2) // channels
        .putInt(rate)
        .putInt(rate * 4) // byte rate
        .putShort((short) 4) // block align
        .putShort((short) 16); // bits per sample
    b.put("data".getBytes(US_ASCII)).putInt(dataBytes);
    for (int i = 0; i < left.length; i++) {
      b.putShort(left[i]).putShort(right[i]);
    }
    return b.array();
  }
}
