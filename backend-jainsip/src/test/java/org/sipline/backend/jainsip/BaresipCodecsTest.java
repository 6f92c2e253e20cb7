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
import org.sipline.backend.jainsip.media.OpusEncoder;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.CollectingSink;
import org.sipline.testing.ScriptedSource;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.PcmWav;
import org.sipline.testing.peers.WidebandSweep;
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
    short[] ours = WidebandSweep.at(callRate); // what the core hands us: audio at the call's rate
    Path theirWav = dir.resolve("theirs.wav");
    WidebandSweep.writeBaresipSource(theirWav, baresipCodec, baresipRate);
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
      WidebandSweep.Figures f =
          WidebandSweep.measure(recording, sink.samples(), callRate, baresipRate);
      log.info(
          "FIGURE codec {} ({}): recorded at baresip {} Hz; {}",
          sdpName,
          mediaEncryption,
          WavReader.read(recording).sampleRate(),
          f);
      assertThat(f.oursAtThem()).isGreaterThanOrEqualTo(WidebandSweep.MIN_CORRELATION);
      assertThat(f.theirsAtUs()).isGreaterThanOrEqualTo(WidebandSweep.MIN_CORRELATION);
      if (wideband) {
        assertThat(f.oursHigh())
            .as("our > 4.5 kHz at baresip")
            .isGreaterThan(WidebandSweep.WIDEBAND_MIN_HIGH);
        assertThat(f.theirsHigh())
            .as("baresip's > 4.5 kHz at us")
            .isGreaterThan(WidebandSweep.WIDEBAND_MIN_HIGH);
      } else {
        assertThat(f.oursHigh())
            .as("G.711 carries nothing above 4 kHz")
            .isLessThan(WidebandSweep.NARROWBAND_MAX_HIGH);
        assertThat(f.theirsHigh())
            .as("G.711 carries nothing above 4 kHz")
            .isLessThan(WidebandSweep.NARROWBAND_MAX_HIGH);
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
    short[] tone = WidebandSweep.at(rate);
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
      assertThat(heard.correlation()).isGreaterThanOrEqualTo(WidebandSweep.MIN_CORRELATION);
    }
  }
}
