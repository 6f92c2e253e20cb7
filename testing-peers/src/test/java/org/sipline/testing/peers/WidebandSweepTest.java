package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.Resampler;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;
import org.sipline.testing.TestWavs;

/** The codec tests' measure tells a wideband path from a G.711 one, and finds the sweep late. */
class WidebandSweepTest {
  private static short[] delayed(short[] pcm, int samples) {
    short[] out = new short[pcm.length + samples + 8000];
    System.arraycopy(pcm, 0, out, samples, pcm.length);
    return out;
  }

  @Test
  void aWidebandPathKeepsTheSweepAbove4kHzBothWays() {
    short[] sweep = WidebandSweep.at(16_000);
    byte[] recording = TestWavs.pcm16(16_000, 1, delayed(sweep, 4_000));
    WidebandSweep.Figures f =
        WidebandSweep.measure(recording, delayed(sweep, 9_000), 16_000, 16_000);
    assertThat(f.oursAtThem()).isGreaterThan(0.99);
    assertThat(f.theirsAtUs()).isGreaterThan(0.99);
    assertThat(f.oursHigh()).isGreaterThan(WidebandSweep.WIDEBAND_MIN_HIGH);
    assertThat(f.theirsHigh()).isGreaterThan(WidebandSweep.WIDEBAND_MIN_HIGH);
  }

  @Test
  void anEightKilohertzPathLosesEverythingAbove4kHz() {
    // A 16 kHz sweep through an 8 kHz path (as G.711 under a 16 kHz call would carry it).
    short[] narrow =
        Resampler.between(8_000, 16_000)
            .resample(Resampler.between(16_000, 8_000).resample(WidebandSweep.at(16_000)));
    byte[] recording = TestWavs.pcm16(16_000, 1, delayed(narrow, 1_000));
    WidebandSweep.Figures f = WidebandSweep.measure(recording, delayed(narrow, 0), 16_000, 16_000);
    assertThat(f.oursHigh()).isLessThan(WidebandSweep.NARROWBAND_MAX_HIGH);
    assertThat(f.theirsHigh()).isLessThan(WidebandSweep.NARROWBAND_MAX_HIGH);
  }

  @Test
  void baresipsSourceIsTheSweepBetweenSilenceInStereoForOpus(@TempDir Path dir) throws Exception {
    Path g722 = dir.resolve("g722.wav");
    WidebandSweep.writeBaresipSource(g722, "G722", 16_000);
    WavAudio mono = WavReader.read(Files.readAllBytes(g722));
    assertThat(mono.sampleRate()).isEqualTo(16_000);
    assertThat(mono.channels()).isEqualTo(1);
    assertThat(mono.samples()).hasSize(5 * 16_000);
    assertThat(mono.samples()[16_000 - 1]).isZero();

    Path opus = dir.resolve("opus.wav");
    WidebandSweep.writeBaresipSource(opus, "opus", 48_000);
    WavAudio stereo = WavReader.read(Files.readAllBytes(opus));
    assertThat(stereo.sampleRate()).isEqualTo(48_000);
    assertThat(stereo.channels()).isEqualTo(2);
  }
}
