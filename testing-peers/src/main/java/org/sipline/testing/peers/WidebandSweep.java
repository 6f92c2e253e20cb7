package org.sipline.testing.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.sipline.core.audio.Resampler;
import org.sipline.core.audio.WavDecoder;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.TestWavs;

/**
 * The codec tests' signal and measure, the same for every backend: a linear sweep from 300 Hz to 7
 * kHz in two seconds, sent each way of a call to baresip. What arrives is compared with what was
 * sent (correlation at the best lag) and its part above 4.5 kHz weighed against its part below 3.5
 * kHz: a wideband codec (G.722, Opus) keeps the upper part, G.711 cannot.
 */
public final class WidebandSweep {
  /** The least correlation a call must show each way. */
  public static final double MIN_CORRELATION = 0.9;

  /** The least high/low ratio a wideband codec must keep. */
  public static final double WIDEBAND_MIN_HIGH = 0.5;

  /** The most high/low ratio G.711 may show (none: its band ends at 4 kHz). */
  public static final double NARROWBAND_MAX_HIGH = 0.1;

  private static final double SECONDS = 2;
  private static final double FROM_HZ = 300;
  private static final double TO_HZ = 7000;

  private WidebandSweep() {}

  /**
   * The sweep at {@code rate}, band-limited by the rate itself (silent where it would pass the
   * rate's Nyquist frequency).
   *
   * @param rate samples per second
   * @return two seconds of samples
   */
  public static short[] at(int rate) {
    int n = (int) (SECONDS * rate);
    short[] s = new short[n];
    double k = (TO_HZ - FROM_HZ) / SECONDS;
    for (int i = 0; i < n; i++) {
      double t = i / (double) rate;
      double f = FROM_HZ + k * t;
      s[i] =
          f < rate / 2.0 - 200
              ? (short) (8000 * Math.sin(2 * Math.PI * (FROM_HZ + k * t / 2) * t))
              : 0;
    }
    return s;
  }

  /** The sample of the sweep (at {@code rate}) where it passes {@code hz}. */
  private static int sampleAt(double hz, int rate) {
    return (int) ((hz - FROM_HZ) / (TO_HZ - FROM_HZ) * SECONDS * rate);
  }

  /**
   * RMS of the sweep's part above 4.5 kHz over that of its part below 3.5 kHz, in a recording.
   *
   * @param recorded the recording, at {@code rate}
   * @param offset where the sweep starts in it
   * @param rate the recording's rate
   * @return the ratio (about 1 when all of the sweep arrived, 0 when nothing above 4.5 kHz did)
   */
  public static double highOverLow(short[] recorded, int offset, int rate) {
    double low =
        AudioCompare.rms(recorded, offset + sampleAt(500, rate), offset + sampleAt(3500, rate));
    int from = offset + sampleAt(4500, rate);
    int to = Math.min(recorded.length, offset + sampleAt(6800, rate));
    double high = from < to ? AudioCompare.rms(recorded, from, to) : 0;
    return low == 0 ? 0 : high / low;
  }

  /**
   * Writes baresip's audio source for a call on {@code baresipCodec}: the sweep at {@code
   * baresipRate} after a second of silence and before two (baresip may start its file before the
   * far end's media runs, and hangs up about a second after its end), in stereo for Opus (baresip
   * runs Opus in stereo and its aufile wants a file to match).
   *
   * @param wav the file to write
   * @param baresipCodec the codec as baresip names it (PCMU, PCMA, G722, opus)
   * @param baresipRate the codec's rate at baresip
   * @throws IOException when the file cannot be written
   */
  public static void writeBaresipSource(Path wav, String baresipCodec, int baresipRate)
      throws IOException {
    short[] sweep = at(baresipRate);
    short[] file = new short[baresipRate + sweep.length + 2 * baresipRate];
    System.arraycopy(sweep, 0, file, baresipRate, sweep.length);
    if (baresipCodec.equals("opus")) {
      short[] stereo = new short[2 * file.length];
      for (int i = 0; i < file.length; i++) {
        stereo[2 * i] = file[i];
        stereo[2 * i + 1] = file[i];
      }
      Files.write(wav, TestWavs.pcm16(baresipRate, 2, stereo));
    } else {
      PcmWav.write(wav, baresipRate, file);
    }
  }

  /**
   * What one call carried each way.
   *
   * @param oursAtThem correlation of our sweep with baresip's recording
   * @param oursHigh high/low of our sweep in baresip's recording
   * @param theirsAtUs correlation of baresip's sweep with what we received
   * @param theirsHigh high/low of baresip's sweep in what we received
   */
  public record Figures(double oursAtThem, double oursHigh, double theirsAtUs, double theirsHigh) {
    @Override
    public String toString() {
      return String.format(
          "ours at baresip r=%.3f high/low=%.3f; baresip's at us r=%.3f high/low=%.3f",
          oursAtThem, oursHigh, theirsAtUs, theirsHigh);
    }
  }

  /**
   * Measures a call: our sweep (sent at the call's rate) in baresip's recording, and baresip's
   * sweep (sent at its codec's rate, from {@link #writeBaresipSource}) in what we received.
   *
   * @param baresipRecording baresip's recording of the call, a WAV file's bytes
   * @param received what our side received, at {@code callRate}
   * @param callRate the call's audio rate on our side
   * @param baresipRate the codec's rate at baresip
   * @return the figures
   */
  public static Figures measure(
      byte[] baresipRecording, short[] received, int callRate, int baresipRate) {
    short[] ours = at(callRate);
    short[] heard = WavDecoder.toRate(baresipRecording, callRate); // downmixed, resampled
    AudioCompare.Match oursAtThem = AudioCompare.bestMatch(ours, heard, callRate, seconds(3));
    short[] theirs = at(baresipRate);
    short[] theirsAtCallRate =
        baresipRate == callRate
            ? theirs
            : Resampler.between(baresipRate, callRate).resample(theirs);
    AudioCompare.Match theirsAtUs =
        AudioCompare.bestMatch(theirsAtCallRate, received, callRate, seconds(4));
    return new Figures(
        oursAtThem.correlation(),
        highOverLow(heard, oursAtThem.lagSamples(), callRate),
        theirsAtUs.correlation(),
        highOverLow(received, theirsAtUs.lagSamples(), callRate));
  }

  private static Duration seconds(int n) {
    return Duration.ofSeconds(n);
  }
}
