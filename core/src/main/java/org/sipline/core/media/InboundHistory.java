package org.sipline.core.media;

import java.util.Arrays;

/**
 * The call's last two seconds of caller audio, so that a resumed stream gets what its client may
 * have missed while it was gone (MEDIA.md: "up to 2 s of caller audio, flagged"). Written by the
 * receive thread without allocating; guarded by the call's lock.
 */
final class InboundHistory {
  /** Two seconds at 8 kHz. */
  static final int CAPACITY = 16_000;

  private final short[] samples = new short[CAPACITY];
  private final boolean[] concealed = new boolean[CAPACITY];
  private int end;
  private int count;

  /** Timeline position right after the newest sample. */
  private long endPosition;

  /** As {@link InboundFramer#write}: samples, or concealment silence when {@code pcm} is null. */
  void write(short[] pcm, int offset, int length, long position) {
    endPosition = position + length;
    // Only the last CAPACITY samples can matter.
    int skip = Math.max(0, length - CAPACITY);
    int done = skip;
    while (done < length) {
      int n = Math.min(length - done, CAPACITY - end);
      if (pcm == null) {
        Arrays.fill(samples, end, end + n, (short) 0);
        Arrays.fill(concealed, end, end + n, true);
      } else {
        System.arraycopy(pcm, offset + done, samples, end, n);
        Arrays.fill(concealed, end, end + n, false);
      }
      end = (end + n) % CAPACITY;
      done += n;
    }
    count = Math.min(CAPACITY, count + (length - skip));
  }

  /** Writes what is kept into {@code framer}, oldest first, at its timeline positions. */
  void replayInto(InboundFramer framer) {
    long position = endPosition - count;
    int at = (end - count + CAPACITY) % CAPACITY;
    int left = count;
    short[] run = new short[Math.min(left, CAPACITY)];
    while (left > 0) {
      int n = Math.min(left, CAPACITY - at);
      int i = 0;
      while (i < n) {
        boolean hole = concealed[at + i];
        int j = i;
        while (j < n && concealed[at + j] == hole) {
          j++;
        }
        if (hole) {
          framer.write(null, 0, j - i, position);
        } else {
          System.arraycopy(samples, at + i, run, 0, j - i);
          framer.write(run, 0, j - i, position);
        }
        position += j - i;
        i = j;
      }
      at = (at + n) % CAPACITY;
      left -= n;
    }
  }

  long endPosition() {
    return endPosition;
  }

  /** Samples kept (at most two seconds). */
  int size() {
    return count;
  }
}
