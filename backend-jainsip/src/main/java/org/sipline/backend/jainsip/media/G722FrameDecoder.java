package org.sipline.backend.jainsip.media;

import java.util.Arrays;
import org.sipline.core.audio.G722Decoder;

/**
 * One incoming stream's G.722 decoder for the 20 ms path: a payload of exactly 160 bytes (320
 * samples at 16 kHz) decodes; anything else — another packet time or a broken packet — is concealed
 * with silence and counted, so that the call's timeline keeps its 20 ms step and nothing is thrown
 * at the receive loop.
 */
final class G722FrameDecoder {
  /** 20 ms at 64 kbit/s: one byte per pair of 16 kHz samples. */
  static final int FRAME_BYTES = 160;

  static final int FRAME_SAMPLES = 2 * FRAME_BYTES;

  private final G722Decoder decoder = new G722Decoder();
  private long wrongSize;
  private long concealed;

  /** Fills {@code frame[0..320)} from the payload at {@code payload[offset..offset+length)}. */
  void decode(byte[] payload, int offset, int length, short[] frame) {
    if (length != FRAME_BYTES || offset < 0 || offset + length > payload.length) {
      wrongSize++;
      conceal(frame);
      return;
    }
    decoder.decode(payload, offset, frame, 0, FRAME_BYTES);
  }

  /** Fills one frame with silence: its packet never came or was not G.722 of 20 ms. */
  void conceal(short[] frame) {
    concealed++;
    Arrays.fill(frame, 0, FRAME_SAMPLES, (short) 0);
  }

  /** Payloads refused for their size (each also concealed). */
  long wrongSize() {
    return wrongSize;
  }

  /** Frames filled with silence. */
  long concealed() {
    return concealed;
  }
}
