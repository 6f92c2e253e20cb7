package org.sipline.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a WAV file that another process is writing is finished. libsndfile writes the RIFF and
 * data sizes when it closes the file; before that they do not match the file's length. A file that
 * is a bare header (no audio arrived) looks the same open or closed, so it never counts as
 * complete.
 */
final class RecordingState {
  private static final int HEADER_BYTES = 12;

  private RecordingState() {}

  /** True when the RIFF size equals the file length minus 8 and there is data beyond a header. */
  static boolean isComplete(Path wav) {
    try (InputStream in = Files.newInputStream(wav)) {
      long length = Files.size(wav);
      byte[] header = in.readNBytes(HEADER_BYTES);
      if (header.length < HEADER_BYTES || length <= 44) {
        return false;
      }
      ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      boolean riff = b.getInt(0) == 0x46464952; // "RIFF"
      long riffSize = b.getInt(4) & 0xFFFFFFFFL;
      return riff && riffSize == length - 8;
    } catch (IOException e) {
      return false; // not there yet, or being replaced: not complete
    }
  }

  /** Each recording's name and state: complete, empty (a bare header: no audio) or open. */
  static String describe(List<Path> recordings) {
    return recordings.stream().map(p -> p.getFileName() + " " + state(p)).toList().toString();
  }

  private static String state(Path wav) {
    if (isComplete(wav)) {
      return "complete";
    }
    try {
      return Files.size(wav) <= 44 ? "empty (no audio received yet)" : "open";
    } catch (IOException e) {
      return "unreadable (" + e + ")";
    }
  }
}
