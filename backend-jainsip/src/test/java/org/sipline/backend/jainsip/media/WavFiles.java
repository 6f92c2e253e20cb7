package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Reads a recording back with Java Sound, a WAV reader that is not ours. */
final class WavFiles {
  private WavFiles() {}

  /** The samples of a 16-bit mono little-endian PCM WAV at 8 kHz; anything else fails. */
  static short[] readPcm16Mono8k(Path file) throws IOException {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
      AudioFormat f = in.getFormat();
      if (!AudioFormat.Encoding.PCM_SIGNED.equals(f.getEncoding())
          || f.getSampleRate() != 8000f
          || f.getSampleSizeInBits() != 16
          || f.getChannels() != 1
          || f.isBigEndian()) {
        throw new AssertionError("not 8 kHz 16-bit mono LE PCM: " + f);
      }
      byte[] bytes = in.readAllBytes();
      if (in.getFrameLength() != bytes.length / 2) {
        throw new AssertionError(
            "header says " + in.getFrameLength() + " frames, file holds " + bytes.length / 2);
      }
      short[] samples = new short[bytes.length / 2];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
      return samples;
    } catch (UnsupportedAudioFileException e) {
      throw new AssertionError("Java Sound cannot read " + file, e);
    }
  }
}
