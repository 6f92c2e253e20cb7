package org.sipline.backend.jainsip.media;

/**
 * Puts one RTP stream's packets back into sequence-number order: audio and RFC 4733 telephone
 * events alike, since they share one sequence space and an event packet missing from the count
 * would look like a lost audio packet.
 *
 * <p>A packet that is next in sequence is delivered at once, so an orderly stream gains no delay.
 * Packets ahead of a gap are held, up to {@code capacity} of them, waiting for the missing one;
 * when one more would have to be held, the gap is given up (counted {@code lost}) and delivery goes
 * on from the oldest held packet. Packets older than the last delivered one are dropped: {@code
 * duplicates} when that sequence number was delivered already, {@code late} otherwise. A new SSRC,
 * or a jump of more than {@value #MAX_MISORDER} (RFC 3550's MAX_MISORDER), is a new stream: what is
 * held is delivered in order and counting starts again from the new packet.
 *
 * <p>Payloads are copied into preallocated slots; nothing is allocated per packet. Used by the
 * receive thread only; the counters may be read from any thread.
 */
final class ReorderBuffer {
  /** Receives packets in order; the array is only valid during the call. */
  interface Output {
    /**
     * Takes one packet, in sequence order.
     *
     * @param ssrc the stream the packet belongs to
     * @param payloadType its RTP payload type
     * @param timestamp its RTP timestamp
     */
    void deliver(
        long ssrc, int payloadType, long timestamp, byte[] payload, int offset, int length);
  }

  static final int MAX_MISORDER = 100;

  /** How far back delivered sequence numbers are remembered to tell duplicates from late ones. */
  private static final int HISTORY = 64;

  private final int capacity;
  private final Output output;
  private final byte[][] slots;
  private final int[] slotLengths;
  private final int[] slotSequence;
  private final int[] slotPayloadType;
  private final long[] slotTimestamp;
  private final boolean[] slotUsed;
  private int held;
  private boolean started;
  private long ssrc;
  private int nextSequence;

  /** Bit k set: sequence number nextSequence − 1 − k was delivered. */
  private long history;

  private volatile long delivered;
  private volatile long lost;
  private volatile long late;
  private volatile long duplicates;

  /**
   * @param capacity how many packets may wait for a missing one (0 disables reordering)
   * @param maxPayload the largest payload that will be offered
   */
  ReorderBuffer(int capacity, int maxPayload, Output output) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity < 0: " + capacity);
    }
    this.capacity = capacity;
    this.output = output;
    // One slot more than the capacity: the packet that overflows is held before the gap goes.
    this.slots = new byte[capacity + 1][maxPayload];
    this.slotLengths = new int[capacity + 1];
    this.slotSequence = new int[capacity + 1];
    this.slotPayloadType = new int[capacity + 1];
    this.slotTimestamp = new long[capacity + 1];
    this.slotUsed = new boolean[capacity + 1];
  }

  /** Takes the payload {@code buf[offset, offset + length)} of packet {@code sequence}. */
  // Single writer (the receive thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  void offer(
      long packetSsrc,
      int sequence,
      int payloadType,
      long timestamp,
      byte[] buf,
      int offset,
      int length) {
    if (!started || packetSsrc != ssrc) {
      restart(packetSsrc, sequence);
    }
    int distance = (short) (sequence - nextSequence);
    if (distance < -MAX_MISORDER || distance > MAX_MISORDER) {
      restart(packetSsrc, sequence);
      distance = 0;
    }
    if (distance < 0) {
      int back = -distance;
      if (back <= HISTORY && (history & (1L << (back - 1))) != 0) {
        duplicates++;
      } else {
        late++;
      }
      return;
    }
    if (distance == 0) {
      emit(payloadType, timestamp, buf, offset, length);
      drainInOrder();
      return;
    }
    if (indexOf(sequence) >= 0) {
      duplicates++;
      return;
    }
    hold(sequence, payloadType, timestamp, buf, offset, length);
    if (held > capacity) {
      giveUpGap();
    }
  }

  long delivered() {
    return delivered;
  }

  /** Sequence numbers skipped because their packet did not come in time. */
  long lost() {
    return lost;
  }

  /** Packets dropped because they came after a later one had been delivered. */
  long late() {
    return late;
  }

  long duplicates() {
    return duplicates;
  }

  private void restart(long newSsrc, int sequence) {
    while (held > 0) {
      giveUpGap();
    }
    started = true;
    ssrc = newSsrc;
    nextSequence = sequence;
    history = 0;
  }

  /** Skips to the oldest held packet, counting what is skipped as lost, and delivers from it. */
  // Single writer (the receive thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void giveUpGap() {
    int oldest = -1;
    int oldestDistance = Integer.MAX_VALUE;
    for (int i = 0; i < slotUsed.length; i++) {
      if (slotUsed[i]) {
        int d = (short) (slotSequence[i] - nextSequence);
        if (d < oldestDistance) {
          oldestDistance = d;
          oldest = i;
        }
      }
    }
    lost += oldestDistance;
    history = oldestDistance >= HISTORY ? 0 : history << oldestDistance;
    nextSequence = slotSequence[oldest];
    drainInOrder();
  }

  private void drainInOrder() {
    int i;
    while (held > 0 && (i = indexOf(nextSequence)) >= 0) {
      slotUsed[i] = false;
      held--;
      emit(slotPayloadType[i], slotTimestamp[i], slots[i], 0, slotLengths[i]);
    }
  }

  // Single writer (the receive thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void emit(int payloadType, long timestamp, byte[] buf, int offset, int length) {
    history = (history << 1) | 1;
    nextSequence = (nextSequence + 1) & 0xFFFF;
    delivered++;
    output.deliver(ssrc, payloadType, timestamp, buf, offset, length);
  }

  private void hold(
      int sequence, int payloadType, long timestamp, byte[] buf, int offset, int length) {
    for (int i = 0; i < slotUsed.length; i++) {
      if (!slotUsed[i]) {
        System.arraycopy(buf, offset, slots[i], 0, length);
        slotLengths[i] = length;
        slotSequence[i] = sequence;
        slotPayloadType[i] = payloadType;
        slotTimestamp[i] = timestamp;
        slotUsed[i] = true;
        held++;
        return;
      }
    }
    throw new IllegalStateException("no free slot with " + held + " held of " + capacity);
  }

  private int indexOf(int sequence) {
    for (int i = 0; i < slotUsed.length; i++) {
      if (slotUsed[i] && slotSequence[i] == sequence) {
        return i;
      }
    }
    return -1;
  }
}
