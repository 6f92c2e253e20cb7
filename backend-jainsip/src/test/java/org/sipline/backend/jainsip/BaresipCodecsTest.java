package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.media.CollectingSink;
import org.sipline.backend.jainsip.media.OpusEncoder;
import org.sipline.backend.jainsip.media.ScriptedSource;
import org.sipline.core.audio.Resampler;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavDecoder;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestWavs;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.PcmWav;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call to baresip per codec, sipline with its default {@code --codecs} (opus,g722,pcmu,pcma) and
 * baresip allowing one codec: a sweep up to 7 kHz each way. On G.722 and Opus the part above 4.5
 * kHz arrives (both ways); on G.711 it cannot, and does not. Correlation ≥ 0.9 both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaresipCodecsTest {
  private static final Logger log = LoggerFactory.getLogger(BaresipCodecsTest.class);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final double MIN_CORRELATION = 0.9;
  private static final double SWEEP_SECONDS = 2;
  private static final double FROM_HZ = 300;
  private static final double TO_HZ = 7000;

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

  /** A linear sweep FROM_HZ → TO_HZ at {@code rate} (band-limited by the rate itself). */
  static short[] sweep(int rate) {
    int n = (int) (SWEEP_SECONDS * rate);
    short[] s = new short[n];
    double k = (TO_HZ - FROM_HZ) / SWEEP_SECONDS;
    for (int i = 0; i < n; i++) {
      double t = i / (double) rate;
      double f = FROM_HZ + k * t;
      // Above the rate's Nyquist frequency there is nothing to write.
      s[i] =
          f < rate / 2.0 - 200
              ? (short) (8000 * Math.sin(2 * Math.PI * (FROM_HZ + k * t / 2) * t))
              : 0;
    }
    return s;
  }

  /** The sample of the sweep (at {@code rate}, from {@code start}) where it passes {@code hz}. */
  static int at(double hz, int rate) {
    return (int) ((hz - FROM_HZ) / (TO_HZ - FROM_HZ) * SWEEP_SECONDS * rate);
  }

  /**
   * RMS of the sweep's part above 4.5 kHz over that of its part below 3.5 kHz, in the recording.
   */
  static double highOverLow(short[] recorded, int offset, int rate) {
    double low = AudioCompare.rms(recorded, offset + at(500, rate), offset + at(3500, rate));
    int from = offset + at(4500, rate);
    int to = Math.min(recorded.length, offset + at(6800, rate));
    double high = from < to ? AudioCompare.rms(recorded, from, to) : 0;
    return low == 0 ? 0 : high / low;
  }

  private static short[] toRate(short[] pcm, int from, int to) {
    return from == to ? pcm : Resampler.between(from, to).resample(pcm);
  }

  @ParameterizedTest
  @CsvSource({
    "G722, G722, 16000, 16000, true, plain",
    "opus, opus, 48000, 16000, true, plain",
    "PCMU, PCMU, 8000, 8000, false, plain",
    "PCMA, PCMA, 8000, 8000, false, plain",
    // The same over SRTP (baresip srtp-mand, we require it: a plain answer would end the call, so
    // audio both ways means the codec's payload went through SRTP both ways).
    "G722, G722, 16000, 16000, true, srtp-mand",
    "opus, opus, 48000, 16000, true, srtp-mand",
    "PCMA, PCMA, 8000, 8000, false, srtp-mand"
  })
  void aCallPerCodecCarriesWhatTheCodecCanBothWays(
      String baresipCodec,
      String sdpName,
      int baresipRate,
      int callRate,
      boolean wideband,
      String mediaEncryption,
      @TempDir Path dir)
      throws Exception {
    if (baresipCodec.equals("opus")) {
      assumeTrue(OpusEncoder.availability().available(), "libopus0 is not installed");
    }
    boolean srtp = !mediaEncryption.equals("plain");
    short[] ours = sweep(callRate); // what the core hands us: audio at the call's rate
    short[] theirs = sweep(baresipRate);
    Path theirWav = dir.resolve("theirs.wav");
    // baresip may start its file before our media runs and hangs up about a second after its
    // end: silence around the sweep keeps all of it in the call.
    short[] file = new short[baresipRate + theirs.length + 2 * baresipRate];
    System.arraycopy(theirs, 0, file, baresipRate, theirs.length);
    if (baresipCodec.equals("opus")) {
      // baresip 1.0 runs Opus in stereo: its aufile wants a stereo file.
      short[] stereo = new short[2 * file.length];
      for (int i = 0; i < file.length; i++) {
        stereo[2 * i] = file[i];
        stereo[2 * i + 1] = file[i];
      }
      Files.write(theirWav, TestWavs.pcm16(baresipRate, 2, stereo));
    } else {
      PcmWav.write(theirWav, baresipRate, file);
    }
    RecordingSipEventListener events = new RecordingSipEventListener();
    try (JainSipBackend backend =
            JainSipBackend.start(
                BackendConfig.loopback()
                    .srtp(srtp ? SrtpMode.REQUIRE : SrtpMode.OFF)
                    .options(Map.of(BackendOptions.TRUSTED_SOURCES, "127.0.0.1"))
                    .build());
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("codec-phone")
                    .withCodecs(baresipCodec)
                    .withAudioSource(theirWav)
                    .withMediaEncryption(srtp ? mediaEncryption : null))) {
      SipAccount line =
          backend.register(
              new AccountSpec(
                  SipUri.of("codec-line", "127.0.0.1", registrar.port()), "secret", "codec", null),
              events);
      events.next(Registered.class);
      CollectingSink sink = new CollectingSink();
      ScriptedSource source = new ScriptedSource(ours);
      SipCall call =
          line.call(
              SipUri.of(phone.user(), "127.0.0.1", phone.port()),
              Map.of(),
              new CallMedia(source, sink));
      events.next(Ringing.class, WAIT);
      events.next(Connected.class, WAIT);
      assertThat(call.audioCodec()).isEqualTo(sdpName);
      assertThat(call.audioRate()).isEqualTo(callRate);
      events.next(Ended.class, WAIT);
      assertThat(source.finished()).as("our sweep played before baresip hung up").isTrue();
      phone.awaitEvent("CALL_CLOSED", WAIT);
      List<Path> recordings = phone.awaitRecordingComplete(WAIT);
      assertThat(recordings).hasSize(1);
      byte[] recording = Files.readAllBytes(recordings.get(0));
      WavAudio recorded = WavReader.read(recording);
      short[] heard = WavDecoder.toRate(recording, callRate); // downmixed, resampled
      AudioCompare.Match oursAtThem =
          AudioCompare.bestMatch(ours, heard, callRate, Duration.ofSeconds(3));
      short[] theirsAtCallRate = toRate(theirs, baresipRate, callRate);
      AudioCompare.Match theirsAtUs =
          AudioCompare.bestMatch(theirsAtCallRate, sink.samples(), callRate, Duration.ofSeconds(4));
      double oursHigh = highOverLow(heard, oursAtThem.lagSamples(), callRate);
      double theirsHigh = highOverLow(sink.samples(), theirsAtUs.lagSamples(), callRate);
      log.info(
          "FIGURE codec {} ({}): recorded at baresip {} Hz; ours at baresip r={} high/low={}; baresip's"
              + " at us r={} high/low={}",
          sdpName,
          mediaEncryption,
          recorded.sampleRate(),
          String.format("%.3f", oursAtThem.correlation()),
          String.format("%.3f", oursHigh),
          String.format("%.3f", theirsAtUs.correlation()),
          String.format("%.3f", theirsHigh));
      assertThat(oursAtThem.correlation()).isGreaterThanOrEqualTo(MIN_CORRELATION);
      assertThat(theirsAtUs.correlation()).isGreaterThanOrEqualTo(MIN_CORRELATION);
      if (wideband) {
        assertThat(oursHigh).as("our > 4.5 kHz at baresip").isGreaterThan(0.5);
        assertThat(theirsHigh).as("baresip's > 4.5 kHz at us").isGreaterThan(0.5);
      } else {
        assertThat(oursHigh).as("G.711 carries nothing above 4 kHz").isLessThan(0.1);
        assertThat(theirsHigh).as("G.711 carries nothing above 4 kHz").isLessThan(0.1);
      }
    }
  }

  /**
   * baresip calls us offering PCMU before G.722; we answer with the first of ours: G.722 under
   * {@code g722,pcmu}, PCMU under {@code pcmu,g722}. Audio flows at the chosen codec's rate.
   */
  @ParameterizedTest
  @CsvSource({"'g722,pcmu', G722, 16000", "'pcmu,g722', PCMU, 8000"})
  void whenAnsweringOurCodecsOrderDecides(String ours, String expected, int rate, @TempDir Path dir)
      throws Exception {
    Path theirWav = dir.resolve("theirs.wav");
    short[] file = new short[3 * rate];
    short[] tone = sweep(rate);
    System.arraycopy(tone, 0, file, rate / 2, Math.min(tone.length, 2 * rate));
    PcmWav.write(theirWav, rate, file);
    RecordingSipEventListener events = new RecordingSipEventListener();
    try (JainSipBackend backend =
            JainSipBackend.start(
                BackendConfig.loopback()
                    .options(
                        Map.of(
                            BackendOptions.TRUSTED_SOURCES,
                            "127.0.0.1",
                            org.sipline.core.spi.CodecList.OPTION,
                            ours))
                    .build());
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("codec-caller")
                    .withCodecs("PCMU", "G722")
                    .withAudioSource(theirWav))) {
      // Registered so that incoming calls for codec-line reach the listener.
      var unused =
          backend.register(
              new AccountSpec(
                  SipUri.of("codec-line", "127.0.0.1", registrar.port()), "secret", "codec", null),
              events);
      events.next(Registered.class);
      CollectingSink sink = new CollectingSink();
      phone.dial("sip:codec-line@127.0.0.1:" + backend.sipPort());
      SipCall call = events.next(RecordingSipEventListener.Incoming.class, WAIT).call();
      call.answer(new CallMedia(new ScriptedSource(new short[rate / 50 * 10]), sink));
      events.next(Connected.class, WAIT);
      assertThat(call.audioCodec()).isEqualTo(expected);
      assertThat(call.audioRate()).isEqualTo(rate);
      events.next(Ended.class, WAIT);
      AudioCompare.Match heard =
          AudioCompare.bestMatch(
              Arrays.copyOf(tone, 2 * rate), sink.samples(), rate, Duration.ofSeconds(4));
      log.info(
          "FIGURE answering with --codecs {}: {} at {} Hz, r={}",
          ours,
          call.audioCodec(),
          rate,
          String.format("%.3f", heard.correlation()));
      assertThat(heard.correlation()).isGreaterThanOrEqualTo(MIN_CORRELATION);
    }
  }
}
