package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.CodecList;
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

/**
 * jainsip's {@code BaresipCodecsTest} on pjsip: a call to baresip per codec, pjsip offering every
 * codec the pjproject has (opus, g722, pcmu, pcma: jainsip's default; pjsip's is G.711) and baresip
 * allowing one, a sweep to 7 kHz each way. G.722 and Opus keep the part above 4.5 kHz both ways,
 * G.711 cannot and does not; correlation ≥ 0.9 both ways. Answering, our {@code codecs} order
 * decides. Skipped, saying why, where the pjproject lacks the codec (or SRTP for the SRTP cases).
 */
class PjsipBaresipCodecsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @ParameterizedTest
  @CsvSource({
    "G722, G722, 16000, 16000, true, plain",
    // pjmedia forces libopus's voice mode, SILK (r 0.81 on this sweep) below ~76 kbit/s: the shim
    // asks for 80 kbit/s, CELT (README, "Codecs").
    "opus, opus, 48000, 16000, true, plain",
    "PCMU, PCMU, 8000, 8000, false, plain",
    "PCMA, PCMA, 8000, 8000, false, plain",
    // Over SRTP (baresip srtp-mand, we require it: a plain answer would end the call, so audio
    // both ways means the codec's payload went through SRTP both ways).
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
    boolean srtp = !mediaEncryption.equals("plain");
    if (srtp) {
      NativeShimAvailable.assumeSrtp();
    }
    if (wideband) {
      NativeShimAvailable.assumeCodec(baresipCodec.toLowerCase(java.util.Locale.ROOT));
    } else {
      NativeShimAvailable.assume();
    }
    Path theirWav = dir.resolve("theirs.wav");
    WidebandSweep.writeBaresipSource(theirWav, baresipCodec, baresipRate);
    RecordingListener listener = new RecordingListener();
    try (DatagramSocket silentRegistrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        PjsipBackend backend =
            (PjsipBackend)
                new PjsipBackendProvider()
                    .create(
                        BackendConfig.loopback()
                            .srtp(srtp ? SrtpMode.REQUIRE : SrtpMode.OFF)
                            .registerTimeout(Duration.ofMillis(300))
                            .options(Map.of(CodecList.OPTION, everyCodecHere()))
                            .build());
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("codec-phone")
                    .withCodecs(baresipCodec)
                    .withAudioSource(theirWav)
                    .withMediaEncryption(srtp ? mediaEncryption : null))) {
      SipAccount line = register(backend, listener, silentRegistrar);
      CollectingSink sink = new CollectingSink();
      // What the core would hand us: audio at the call's rate.
      ScriptedSource source = new ScriptedSource(WidebandSweep.at(callRate));
      SipCall call =
          line.call(
              SipUri.of(phone.user(), "127.0.0.1", phone.port()),
              Map.of(),
              new CallMedia(source, sink));
      assertThat(listener.next(WAIT)).startsWith("callRinging");
      assertThat(listener.next(WAIT)).isEqualTo("callConnected");
      assertThat(call.audioCodec()).isEqualTo(sdpName);
      assertThat(call.audioRate()).isEqualTo(callRate);
      // baresip hangs up about a second after its file has played (FACTS.md).
      assertThat(listener.next(WAIT)).isEqualTo("callEnded REMOTE_BYE");
      assertThat(source.finished()).as("our sweep played before baresip hung up").isTrue();
      phone.awaitEvent("CALL_CLOSED", WAIT);
      List<Path> recordings = phone.awaitRecordingComplete(WAIT);
      assertThat(recordings).hasSize(1);
      byte[] recording = Files.readAllBytes(recordings.get(0));
      WidebandSweep.Figures f =
          WidebandSweep.measure(recording, sink.samples(), callRate, baresipRate);
      System.out.printf(
          "FIGURE pjsip codec %s (%s): recorded at baresip %d Hz; %s%n",
          sdpName, mediaEncryption, WavReader.read(recording).sampleRate(), f);
      assertThat(f.oursAtThem())
          .as("ours at baresip")
          .isGreaterThanOrEqualTo(WidebandSweep.MIN_CORRELATION);
      assertThat(f.theirsAtUs())
          .as("baresip's at us")
          .isGreaterThanOrEqualTo(WidebandSweep.MIN_CORRELATION);
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
   * {@code g722,pcmu}, PCMU under {@code pcmu,g722} (pjmedia would take the offerer's order). Audio
   * flows at the chosen codec's rate.
   */
  @ParameterizedTest
  @CsvSource({"'g722,pcmu', G722, 16000", "'pcmu,g722', PCMU, 8000"})
  void whenAnsweringOurCodecsOrderDecides(String ours, String expected, int rate, @TempDir Path dir)
      throws Exception {
    NativeShimAvailable.assumeCodec(CodecList.G722);
    Path theirWav = dir.resolve("theirs.wav");
    short[] file = new short[3 * rate];
    short[] tone = WidebandSweep.at(rate);
    System.arraycopy(tone, 0, file, rate / 2, Math.min(tone.length, 2 * rate));
    PcmWav.write(theirWav, rate, file);
    RecordingListener listener = new RecordingListener();
    try (DatagramSocket silentRegistrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        PjsipBackend backend =
            (PjsipBackend)
                new PjsipBackendProvider()
                    .create(
                        BackendConfig.loopback()
                            .registerTimeout(Duration.ofMillis(300))
                            .options(Map.of(CodecList.OPTION, ours))
                            .build());
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("codec-caller")
                    .withCodecs("PCMU", "G722")
                    .withAudioSource(theirWav))) {
      var unused = register(backend, listener, silentRegistrar);
      CollectingSink sink = new CollectingSink();
      phone.dial("sip:codec-line@127.0.0.1:" + backend.sipPort());
      assertThat(listener.next(WAIT)).startsWith("incomingCall");
      SipCall call = listener.lastIncoming;
      call.answer(new CallMedia(new ScriptedSource(new short[rate / 50 * 10]), sink));
      assertThat(listener.next(WAIT)).isEqualTo("callConnected");
      assertThat(call.audioCodec()).isEqualTo(expected);
      assertThat(call.audioRate()).isEqualTo(rate);
      assertThat(listener.next(WAIT)).isEqualTo("callEnded REMOTE_BYE");
      AudioCompare.Match heard =
          AudioCompare.bestMatch(
              Arrays.copyOf(tone, 2 * rate), sink.samples(), rate, Duration.ofSeconds(4));
      System.out.printf(
          "FIGURE pjsip answering with codecs %s: %s at %d Hz, r=%.3f%n",
          ours, expected, rate, heard.correlation());
      assertThat(heard.correlation()).isGreaterThanOrEqualTo(WidebandSweep.MIN_CORRELATION);
    }
  }

  /** jainsip's default list, as far as this pjproject has it (pjsip's own default is G.711). */
  private static String everyCodecHere() {
    Shim shim = ShimLoader.forConfiguredLibrary().shim();
    return String.join(",", CodecList.defaults(name -> PjsipBackend.codecAvailability(shim, name)));
  }

  /** A line whose registrar never answers; its host (127.0.0.1) is trusted for baresip's INVITE. */
  private static SipAccount register(
      PjsipBackend backend, RecordingListener listener, DatagramSocket silentRegistrar)
      throws InterruptedException {
    SipAccount line =
        backend.register(
            new AccountSpec(
                SipUri.of("codec-line", "127.0.0.1", silentRegistrar.getLocalPort()),
                "pw",
                "codec-line",
                null),
            listener);
    assertThat(listener.next(WAIT)).startsWith("registrationFailed");
    return line;
  }
}
