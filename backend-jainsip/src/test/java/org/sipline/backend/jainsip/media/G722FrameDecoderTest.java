package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.sipline.core.audio.G722Encoder;

class G722FrameDecoderTest {
  private static byte[] encodedTone() {
    short[] tone = WidebandSignals.tone(16000, 6000, 320, 8000);
    byte[] payload = new byte[160];
    new G722Encoder().encode(tone, 0, payload, 0, 320);
    return payload;
  }

  @Test
  void aPayloadOf160BytesDecodesTo320Samples() {
    G722FrameDecoder decoder = new G722FrameDecoder();
    short[] frame = new short[320];
    byte[] datagram = new byte[12 + 160];
    System.arraycopy(encodedTone(), 0, datagram, 12, 160);

    decoder.decode(datagram, 12, 160, frame);

    assertThat(frame)
        .matches(f -> java.util.stream.IntStream.range(0, 320).anyMatch(i -> f[i] != 0));
    assertThat(decoder.wrongSize()).isZero();
    assertThat(decoder.concealed()).isZero();
  }

  @Test
  void aPayloadOfAnotherSizeIsConcealedWithSilenceAndCounted() {
    G722FrameDecoder decoder = new G722FrameDecoder();
    short[] frame = new short[320];
    java.util.Arrays.fill(frame, (short) 1234);

    decoder.decode(new byte[161], 0, 161, frame);
    decoder.decode(new byte[80], 0, 80, frame);
    decoder.decode(new byte[0], 0, 0, frame);

    assertThat(frame).containsOnly((short) 0);
    assertThat(decoder.wrongSize()).isEqualTo(3);
    assertThat(decoder.concealed()).isEqualTo(3);
  }

  @Property(tries = 300)
  void anyPayloadGivesOneFrameAndNeverThrows(
      @ForAll @Size(max = 400) byte[] payload, @ForAll @IntRange(min = 0, max = 400) int length) {
    G722FrameDecoder decoder = new G722FrameDecoder();
    short[] frame = new short[320];

    decoder.decode(payload, 0, length, frame);

    boolean decodable = length == 160 && payload.length >= 160;
    assertThat(decoder.wrongSize()).isEqualTo(decodable ? 0 : 1);
  }
}
