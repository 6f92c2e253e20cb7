package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opus through Debian's libopus0: round trips keep wideband audio; bad payloads are concealed. */
class OpusCodecTest {
  @Test
  void libopusLoadsHere() {
    assertThat(OpusEncoder.availability().reason()).isEqualTo("available");
    assertThat(OpusLibrary.get().version()).startsWith("libopus");
  }

  /** Codes {@code pcm} frame by frame and decodes it again. */
  private static short[] roundTrip(short[] pcm, int rate) {
    try (OpusEncoder encoder = new OpusEncoder(rate, 0, false, false);
        OpusDecoder decoder = new OpusDecoder(rate)) {
      int frame = rate / 50;
      short[] in = new short[frame];
      short[] out = new short[frame];
      byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
      short[] decoded = new short[pcm.length];
      for (int off = 0; off + frame <= pcm.length; off += frame) {
        System.arraycopy(pcm, off, in, 0, frame);
        int n = encoder.encode(in, packet);
        assertThat(n).isBetween(1, OpusEncoder.MAX_PACKET_BYTES);
        decoder.decode(packet, 0, n, out);
        System.arraycopy(out, 0, decoded, off, frame);
      }
      assertThat(decoder.concealed()).isZero();
      return decoded;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 48000})
  void aSweepTo7kHzRoundTripsWithCorrelationAbove0_9(int rate) {
    short[] sweep = WidebandSignals.sweep(rate, 100, 7000, 2 * rate, 10000);
    short[] decoded = roundTrip(sweep, rate);

    // Opus's look-ahead (6.5 ms) plus resampling delay: search up to 20 ms for it.
    assertThat(WidebandSignals.bestCorrelation(sweep, decoded, rate / 50, sweep.length - rate / 50))
        .isGreaterThan(0.9);
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 48000})
  void aToneAt6kHzKeepsItsLevelWithin3dB(int rate) {
    short[] tone = WidebandSignals.tone(rate, 6000, rate, 8000);
    short[] decoded = roundTrip(tone, rate);

    double in = WidebandSignals.power(tone, rate, rate / 5, rate / 2, 6000);
    double out = WidebandSignals.power(decoded, rate, rate / 5, rate / 2, 6000);
    assertThat(10 * Math.log10(out / in)).isBetween(-3.0, 3.0);
  }

  @Test
  void aMaxBandwidthOf4kHzCutsA6kHzTone() {
    int rate = 48000;
    short[] tone = WidebandSignals.tone(rate, 6000, rate, 8000);
    short[] decoded = new short[tone.length];
    try (OpusEncoder encoder = new OpusEncoder(rate, 4000, false, false);
        OpusDecoder decoder = new OpusDecoder(rate)) {
      short[] frame = new short[960];
      byte[] packet = new byte[OpusEncoder.MAX_PACKET_BYTES];
      for (int off = 0; off < tone.length; off += 960) {
        System.arraycopy(tone, off, frame, 0, 960);
        decoder.decode(packet, 0, encoder.encode(frame, packet), frame);
        System.arraycopy(frame, 0, decoded, off, 960);
      }
    }
    double in = WidebandSignals.power(tone, rate, rate / 5, rate / 2, 6000);
    double out = WidebandSignals.power(decoded, rate, rate / 5, rate / 2, 6000);
    assertThat(10 * Math.log10(out / in)).isLessThan(-20);
  }

  @Test
  void aLostPacketIsConcealedAndCounted() {
    try (OpusDecoder decoder = new OpusDecoder(16000)) {
      short[] frame = new short[320];
      decoder.conceal(frame);
      assertThat(decoder.concealed()).isEqualTo(1);
      assertThat(decoder.undecodable()).isZero();
    }
  }

  @Test
  void aPayloadThatDoesNotDecodeIsConcealedAndCounted() {
    try (OpusDecoder decoder = new OpusDecoder(48000)) {
      short[] frame = new short[960];
      // TOC code 3 (arbitrary frame count) announcing zero frames: RFC 6716 §3.2.5 forbids it.
      decoder.decode(new byte[] {0x03, 0x00}, 0, 2, frame);
      // An empty payload is no Opus packet either.
      decoder.decode(new byte[0], 0, 0, frame);

      assertThat(decoder.undecodable()).isEqualTo(2);
      assertThat(decoder.concealed()).isEqualTo(2);
    }
  }

  @Property(tries = 300)
  void anyPayloadGivesOneFrameAndNeverThrows(@ForAll @Size(max = 1500) byte[] payload) {
    try (OpusDecoder decoder = new OpusDecoder(16000)) {
      short[] frame = new short[320];
      decoder.decode(payload, 0, payload.length, frame);
      assertThat(decoder.undecodable() + decoder.truncated()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aPacketLongerThan20msKeepsItsFirst20msAndIsCounted() {
    try (OpusEncoder encoder = new OpusEncoder(16000, 0, false, false);
        OpusDecoder decoder = new OpusDecoder(16000)) {
      byte[] first = new byte[OpusEncoder.MAX_PACKET_BYTES];
      int n = encoder.encode(new short[320], first);
      // Code 1: two frames of equal size in one packet (RFC 6716 §3.2.2), 40 ms.
      int frameBytes = n - 1;
      byte[] doubled = new byte[1 + 2 * frameBytes];
      doubled[0] = (byte) ((first[0] & 0xFC) | 1);
      System.arraycopy(first, 1, doubled, 1, frameBytes);
      System.arraycopy(first, 1, doubled, 1 + frameBytes, frameBytes);

      decoder.decode(doubled, 0, doubled.length, new short[320]);

      assertThat(decoder.truncated()).isEqualTo(1);
      assertThat(decoder.undecodable()).isZero();
    }
  }

  @Test
  void closedCodersRefuseWork() {
    OpusEncoder encoder = new OpusEncoder(16000, 0, false, false);
    encoder.close();
    encoder.close();
    assertThatThrownBy(() -> encoder.encode(new short[320], new byte[1275]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    OpusDecoder decoder = new OpusDecoder(16000);
    decoder.close();
    assertThatThrownBy(() -> decoder.conceal(new short[320]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRateLibopusDoesNotTakeIsRefusedNamingIt() {
    assertThatThrownBy(() -> new OpusEncoder(44100, 0, false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("44100 Hz");
    assertThatThrownBy(() -> new OpusDecoder(22050))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("22050 Hz");
  }

  @Test
  void aShortFrameIsRefusedNamingTheSizes() {
    try (OpusEncoder encoder = new OpusEncoder(16000, 0, false, false)) {
      assertThatThrownBy(() -> encoder.encode(new short[160], new byte[1275]))
          .hasMessageContaining("160 samples < 320");
    }
  }

  @Test
  void maxBandwidthMapsToOpusBandwidthClasses() {
    assertThat(OpusEncoder.bandwidthFor(4000)).isEqualTo(OpusLibrary.OPUS_BANDWIDTH_NARROWBAND);
    assertThat(OpusEncoder.bandwidthFor(6000)).isEqualTo(OpusLibrary.OPUS_BANDWIDTH_MEDIUMBAND);
    assertThat(OpusEncoder.bandwidthFor(8000)).isEqualTo(OpusLibrary.OPUS_BANDWIDTH_WIDEBAND);
    assertThat(OpusEncoder.bandwidthFor(12000)).isEqualTo(OpusLibrary.OPUS_BANDWIDTH_SUPERWIDEBAND);
    assertThat(OpusEncoder.bandwidthFor(24000)).isEqualTo(OpusLibrary.OPUS_BANDWIDTH_FULLBAND);
  }

  @Test
  void aLibraryThatDoesNotLoadSaysWhyAndWhatToInstall() {
    OpusLibrary missing = OpusLibrary.load("sipline-no-such-opus");

    assertThat(missing.available()).isFalse();
    assertThat(missing.unavailableReason())
        .contains("install Debian's libopus0")
        .contains("sipline-no-such-opus");
  }
}
