package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G722Decoder;
import org.sipline.core.audio.G722Encoder;

/**
 * Our G.722 against another implementation: spandsp's, the one baresip's {@code g722} module uses
 * (Debian's {@code libspandsp2}, installed with {@code baresip-core}). The encoder must produce the
 * same code words bit for bit; the decoder the same samples wherever the output does not overload
 * (there spandsp wraps around and we saturate, which is what the standard's limiter asks for).
 */
class G722SpandspCrossCheckTest {
  interface Spandsp extends Library {
    Pointer g722_encode_init(Pointer state, int rate, int options);

    int g722_encode(Pointer state, byte[] g722, short[] amp, int len);

    Pointer g722_decode_init(Pointer state, int rate, int options);

    int g722_decode(Pointer state, short[] amp, byte[] g722, int len);
  }

  private static final Spandsp SPANDSP = load();

  private static Spandsp load() {
    try {
      return Native.load("libspandsp.so.2", Spandsp.class);
    } catch (UnsatisfiedLinkError e) {
      throw new AssertionError(
          "libspandsp.so.2 missing: install Debian's libspandsp2 (baresip-core depends on it)", e);
    }
  }

  /** A sweep over the whole band with noise on top: every quantiser level gets used. */
  private static short[] signal(int samples) {
    short[] sweep = WidebandSignals.sweep(16000, 50, 7900, samples, 12000);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < samples; i++) {
      sweep[i] = (short) (sweep[i] + random.nextInt(-4000, 4001));
    }
    return sweep;
  }

  @Test
  void encoderMatchesSpandspBitForBit() {
    short[] pcm = signal(3 * 16000);
    byte[] ours = new byte[pcm.length / 2];
    G722Encoder encoder = new G722Encoder();
    // In 20 ms frames, as the media path encodes.
    for (int off = 0; off < pcm.length; off += 320) {
      encoder.encode(pcm, off, ours, off / 2, 320);
    }

    byte[] theirs = new byte[pcm.length / 2];
    Pointer state = SPANDSP.g722_encode_init(null, 64000, 0);
    int n = SPANDSP.g722_encode(state, theirs, pcm, pcm.length);

    assertThat(n).isEqualTo(theirs.length);
    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void decoderMatchesSpandspSampleForSample() {
    short[] pcm = signal(3 * 16000);
    byte[] coded = new byte[pcm.length / 2];
    new G722Encoder().encode(pcm, 0, coded, 0, pcm.length);

    short[] ours = new short[pcm.length];
    new G722Decoder().decode(coded, 0, ours, 0, coded.length);
    short[] theirs = new short[pcm.length];
    Pointer state = SPANDSP.g722_decode_init(null, 64000, 0);
    int n = SPANDSP.g722_decode(state, theirs, coded, coded.length);

    assertThat(n).isEqualTo(pcm.length);
    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void spandspDecodesOurSweepWithItsHighBandIntact() {
    short[] sweep = WidebandSignals.sweep(16000, 100, 7500, 2 * 16000, 10000);
    byte[] coded = new byte[sweep.length / 2];
    new G722Encoder().encode(sweep, 0, coded, 0, sweep.length);
    short[] theirs = new short[sweep.length];
    SPANDSP.g722_decode(SPANDSP.g722_decode_init(null, 64000, 0), theirs, coded, coded.length);

    assertThat(WidebandSignals.bestCorrelation(sweep, theirs, 40, sweep.length - 40))
        .isGreaterThan(0.95);
  }
}
