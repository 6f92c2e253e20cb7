package org.sipline.core.audio;

/** One WAV file to what a call plays: mono 16-bit PCM at the call's rate (8 kHz for G.711). */
public final class WavDecoder {
  private WavDecoder() {}

  /**
   * Reads, downmixes and resamples a WAV file to 8 kHz.
   *
   * @throws WavFormatException when the file is not playable (see {@link WavReader}), including a
   *     file too short to last one sample at 8 kHz
   * @param wav the file's bytes
   * @return mono 8 kHz samples
   */
  public static short[] toCodecRate(byte[] wav) {
    return toRate(wav, Resampler.TARGET_RATE);
  }

  /**
   * Reads, downmixes and resamples a WAV file to a call's rate.
   *
   * @throws WavFormatException when the file is not playable (see {@link WavReader}), including a
   *     file too short to last one sample at {@code rate}
   * @throws IllegalArgumentException when {@code rate} is no call's rate
   * @param wav the file's bytes
   * @param rate the call's rate in Hz
   * @return mono samples at {@code rate}
   */
  public static short[] toRate(byte[] wav, int rate) {
    org.sipline.core.spi.AudioFrames.checkRate(rate);
    WavAudio audio = WavReader.read(wav);
    if (audio.sampleRate() == rate) {
      return audio.samples(); // freshly decoded, nobody else holds it
    }
    short[] pcm = Resampler.between(audio.sampleRate(), rate).resample(audio.samples());
    if (pcm.length == 0) {
      throw new WavFormatException(
          "no samples at "
              + rate
              + " Hz: "
              + audio.samples().length
              + " sample(s) at "
              + audio.sampleRate()
              + " Hz last less than "
              + "half a sample period");
    }
    return pcm;
  }
}
