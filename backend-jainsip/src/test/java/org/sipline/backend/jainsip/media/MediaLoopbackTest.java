package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.testing.CollectingSink;
import org.sipline.testing.ScriptedSource;

/** Two sessions of one engine in a call with each other over loopback UDP. */
class MediaLoopbackTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  /** What a source plays until the test opens the gate: a constant no sweep frame equals. */
  private static final short PREAMBLE = 1000;

  @TempDir Path recordings;

  private MediaEngine engine;

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  /**
   * Plays a constant preamble until {@link #open()}, then the script, then silence; the preamble
   * covers the frames a session may drop because its peer started later.
   */
  private static final class GatedSource implements AudioSource {
    private final ScriptedSource script;
    private volatile boolean open;

    GatedSource(short[] audio) {
      script = new ScriptedSource(audio);
    }

    void open() {
      open = true;
    }

    @Override
    public boolean read(short[] frame) {
      if (!open) {
        Arrays.fill(frame, PREAMBLE);
        return true;
      }
      return script.read(frame);
    }
  }

  private static short[] roundTrip(Codec codec, short[] pcm) {
    byte[] coded = new byte[pcm.length];
    codec.encode(pcm, 0, coded, 0, pcm.length);
    short[] back = new short[pcm.length];
    codec.decode(coded, 0, back, 0, pcm.length);
    return back;
  }

  /** The received audio after the preamble frames, whole frames only. */
  private static short[] afterPreamble(Codec codec, short[] received) {
    short[] preambleFrame = new short[FRAME];
    Arrays.fill(preambleFrame, PREAMBLE);
    short[] decodedPreamble = roundTrip(codec, preambleFrame);
    int at = 0;
    while (at + FRAME <= received.length
        && Arrays.equals(received, at, at + FRAME, decodedPreamble, 0, FRAME)) {
      at += FRAME;
    }
    return Arrays.copyOfRange(received, at, received.length);
  }

  private static InetSocketAddress local(MediaSession s) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.localPort());
  }

  @ParameterizedTest
  @EnumSource(
      value = Codec.class,
      names = {"PCMU", "PCMA"}) // G.722 and Opus: WidebandMediaTest
  void twoSessionsHearEachOtherAsTheG711RoundTripOfTheSourceSampleExactly(Codec codec)
      throws Exception {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withRecordingsDir(recordings)
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(7)));
    short[] fromA = ScriptedSource.sweep(40);
    short[] fromB = Arrays.copyOf(ScriptedSource.sweep(65), 25 * FRAME);
    for (int i = 0; i < fromB.length; i++) {
      fromB[i] = (short) -fromB[i];
    }
    GatedSource sourceA = new GatedSource(fromA);
    GatedSource sourceB = new GatedSource(fromB);
    CollectingSink heardByA = new CollectingSink();
    CollectingSink heardByB = new CollectingSink();
    MediaSession a = engine.allocate();
    MediaSession b = engine.allocate();

    b.start(local(a), codec, new CallMedia(sourceB, heardByB), "b-side@test");
    a.start(local(b), codec, new CallMedia(sourceA, heardByA), "a-side@test");
    sourceA.open();
    sourceB.open();

    Await.until(
        () ->
            afterPreamble(codec, heardByB.samples()).length >= fromA.length + FRAME
                && afterPreamble(codec, heardByA.samples()).length >= fromB.length + FRAME,
        () ->
            "A heard "
                + heardByA.samples().length
                + ", B heard "
                + heardByB.samples().length
                + " samples");
    short[] silenceFrame = roundTrip(codec, new short[FRAME]);

    short[] atB = afterPreamble(codec, heardByB.samples());
    assertThat(Arrays.copyOf(atB, fromA.length)).isEqualTo(roundTrip(codec, fromA));
    assertThat(Arrays.copyOfRange(atB, fromA.length, fromA.length + FRAME)).isEqualTo(silenceFrame);
    short[] atA = afterPreamble(codec, heardByA.samples());
    assertThat(Arrays.copyOf(atA, fromB.length)).isEqualTo(roundTrip(codec, fromB));

    MediaStats stats = b.stats();
    assertThat(stats.lost()).isZero();
    assertThat(stats.droppedWrongSource()).isZero();
    assertThat(stats.droppedMalformed()).isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = Codec.class,
      names = {"PCMU", "PCMA"}) // G.722 and Opus: WidebandMediaTest
  void eachSideRecordsExactlyWhatItsSinkHeard(Codec codec) throws Exception {
    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withRecordingsDir(recordings)
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF)
                .withRandom(new Random(8)));
    GatedSource sourceA = new GatedSource(ScriptedSource.sweep(20));
    CollectingSink heardByB = new CollectingSink();
    MediaSession a = engine.allocate();
    MediaSession b = engine.allocate();
    b.start(local(a), codec, new CallMedia(AudioSource.SILENCE, heardByB), "rec/b@test");
    a.start(local(b), codec, new CallMedia(sourceA, new CollectingSink()), "rec/a@test");
    sourceA.open();
    heardByB.awaitSamples(30 * FRAME, 5, TimeUnit.SECONDS);
    Path file = b.recordingPath();

    b.close();
    a.close();
    b.recordingFinished().get(5, TimeUnit.SECONDS);

    assertThat(file).isEqualTo(recordings.resolve("rec_b_test.wav"));
    assertThat(WavFiles.readPcm16Mono8k(file)).isEqualTo(heardByB.samples());
  }
}
