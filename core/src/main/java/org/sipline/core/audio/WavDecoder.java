package org.sipline.core.audio;

/** One WAV file to what a call plays: mono 16-bit PCM at 8 kHz. */
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
    WavAudio audio = WavReader.read(wav);
    if (audio.sampleRate() == Resampler.TARGET_RATE) {
      return audio.samples(); // freshly decoded, nobody else holds it
    }
    short[] pcm = Resampler.toCodecRate(audio.sampleRate()).resample(audio.samples());
    if (pcm.length == 0) {
      throw new WavFormatException(
          "no samples at "
              + Resampler.TARGET_RATE
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
