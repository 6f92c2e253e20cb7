package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.sipline.testing.TestWavs;

class WavDecoderTest {

  @Test
  void aStereoCdRateFileBecomesEightKilohertzMonoWithTheSameTone() {
    byte[] wav = TestWavs.sine(44100, 2, 1000, 2000, 0.5);
    short[] pcm = WavDecoder.toCodecRate(wav);
    assertThat(pcm).hasSize(16000);
    ToneFit fit = ToneFit.of(pcm, 200, pcm.length - 200, 8000, 1000);
    assertThat(ToneFit.db(fit.amplitude() / (0.5 * 32767))).isCloseTo(0, within(0.1));
  }

  @Test
  void aStereoToneInOneChannelOnlyComesThroughAtHalfAmplitude() {
    short[] tone = TestWavs.sineSamples(44100, 1000, 1000, 0.5);
    for (int channel = 0; channel < 2; channel++) {
      short[] interleaved = new short[2 * tone.length];
      for (int i = 0; i < tone.length; i++) {
        interleaved[2 * i + channel] = tone[i];
      }
      short[] pcm = WavDecoder.toCodecRate(TestWavs.pcm16(44100, 2, interleaved));
      ToneFit fit = ToneFit.of(pcm, 200, pcm.length - 200, 8000, 1000);
      assertThat(ToneFit.db(fit.amplitude() / (0.25 * 32767)))
          .as("channel %d", channel)
          .isCloseTo(0, within(0.1));
    }
  }

  @Test
  void oppositeStereoChannelsCancelToSilence() {
    short[] tone = TestWavs.sineSamples(44100, 1000, 1000, 0.5);
    short[] interleaved = new short[2 * tone.length];
    for (int i = 0; i < tone.length; i++) {
      interleaved[2 * i] = tone[i];
      interleaved[2 * i + 1] = (short) -tone[i];
    }
    short[] pcm = WavDecoder.toCodecRate(TestWavs.pcm16(44100, 2, interleaved));
    assertThat(pcm).hasSize(8000).containsOnly((short) 0);
  }

  @Test
  void anEightKilohertzMuLawFileIsDecodedSampleExact() {
    byte[] codes = {0x00, 0x10, 0x7F, (byte) 0x80, (byte) 0xFF, 0x33};
    short[] pcm =
        WavDecoder.toCodecRate(TestWavs.builder(WavEncoding.ULAW, 8000, 1).data(codes).build());
    for (int i = 0; i < codes.length; i++) {
      assertThat(pcm[i]).isEqualTo(G711.ulawToLinear(codes[i]));
    }
  }

  @Test
  void refusesWhatWavReaderRefuses() {
    assertThatThrownBy(() -> WavDecoder.toCodecRate(new byte[3]))
        .isExactlyInstanceOf(WavFormatException.class)
        .hasMessage("too short for a RIFF/WAVE header: 3 bytes < 12");
  }

  @Test
  void refusesAFileTooShortToLastOneSampleAtEightKilohertz() {
    assertThatThrownBy(() -> WavDecoder.toCodecRate(TestWavs.pcm16(192000, 1, new short[2])))
        .isExactlyInstanceOf(WavFormatException.class)
        .hasMessage(
            "no samples at 8000 Hz: 2 sample(s) at 192000 Hz last less than half a "
                + "sample period");
  }
}
