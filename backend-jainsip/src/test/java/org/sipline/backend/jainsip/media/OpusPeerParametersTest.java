package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A call's Opus encoder does what the far end's fmtp asks (RFC 7587 §6.1): its maxaveragebitrate
 * caps our 32 kbit/s, its maxplaybackrate narrows what we code, and nothing changes without them.
 */
class OpusPeerParametersTest {
  private static final int RATE = 16000;
  private static final int FRAME = RATE / 50;

  /** Encodes {@code pcm} with a call's encoder for {@code peer}; returns bytes per packet. */
  private static int[] packetSizes(
      short[] pcm, OpusParameters peer, OpusDecoder decoder, short[] decoded) {
    Codec.FrameEncoder encoder = Codec.OPUS.newEncoder(peer);
    try {
      byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
      short[] frame = new short[FRAME];
      short[] out = new short[FRAME];
      int[] sizes = new int[pcm.length / FRAME];
      for (int i = 0; i < sizes.length; i++) {
        System.arraycopy(pcm, i * FRAME, frame, 0, FRAME);
        sizes[i] = encoder.encode(frame, packet, 0);
        if (decoder != null) {
          decoder.decode(packet, 0, sizes[i], out);
          System.arraycopy(out, 0, decoded, i * FRAME, FRAME);
        }
      }
      return sizes;
    } finally {
      encoder.close();
    }
  }

  private static double mean(int[] sizes) {
    double sum = 0;
    for (int s : sizes) {
      sum += s;
    }
    return sum / sizes.length;
  }

  @Test
  void thePeersMaxAverageBitrateCapsOursAndAHigherOneDoesNotRaiseIt() {
    short[] sweep = WidebandSignals.sweep(RATE, 100, 7000, 2 * RATE, 10000);
    double ours = mean(packetSizes(sweep, OpusParameters.DEFAULTS, null, null));
    double capped =
        mean(
            packetSizes(
                sweep, new OpusParameters(48000, false, false, 12000, List.of()), null, null));
    double higher =
        mean(
            packetSizes(
                sweep, new OpusParameters(48000, false, false, 64000, List.of()), null, null));

    // 32 kbit/s is 80 bytes per 20 ms, 12 kbit/s 30: libopus keeps close to its target.
    assertThat(ours).isBetween(60.0, 100.0);
    assertThat(capped).isLessThan(40.0);
    assertThat(higher).isBetween(ours * 0.9, ours * 1.1);
  }

  @Test
  void thePeersMaxPlaybackRateNarrowsWhatWeCode() throws Exception {
    short[] tone = WidebandSignals.tone(RATE, 6000, RATE, 8000);
    short[] wide = new short[tone.length];
    short[] narrow = new short[tone.length];
    try (OpusDecoder decoder = new OpusDecoder(RATE)) {
      packetSizes(tone, OpusParameters.DEFAULTS, decoder, wide);
    }
    try (OpusDecoder decoder = new OpusDecoder(RATE)) {
      packetSizes(tone, new OpusParameters(8000, false, false, 0, List.of()), decoder, narrow);
    }
    double kept = WidebandSignals.power(wide, RATE, RATE / 5, RATE / 2, 6000);
    double cut = WidebandSignals.power(narrow, RATE, RATE / 5, RATE / 2, 6000);
    double in = WidebandSignals.power(tone, RATE, RATE / 5, RATE / 2, 6000);

    assertThat(kept / in).as("16 kHz playback: 6 kHz kept").isGreaterThan(0.5);
    assertThat(cut / in).as("8 kHz playback: nothing above 4 kHz coded").isLessThan(0.01);
  }
}
