package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Payloads are one byte holding the low bits of their sequence number, to see the order. */
class ReorderBufferTest {
  private final List<Integer> out = new ArrayList<>();
  private final ReorderBuffer buffer =
      new ReorderBuffer(
          3, 16, (ssrc, pt, ts, payload, offset, length) -> out.add(payload[offset] & 0xFF));

  private void offer(int... sequences) {
    offer(1L, sequences);
  }

  private void offer(long ssrc, int... sequences) {
    for (int seq : sequences) {
      byte[] datagram = {0, 0, (byte) seq, 0}; // payload at offset 2, to see offsets are kept
      buffer.offer(ssrc, seq & 0xFFFF, 0, seq * 160L, datagram, 2, 1);
    }
  }

  private List<Integer> lowBytes(int... sequences) {
    List<Integer> l = new ArrayList<>();
    for (int s : sequences) {
      l.add(s & 0xFF);
    }
    return l;
  }

  @Test
  void inOrderPacketsAreDeliveredAtOnce() {
    offer(10);
    assertThat(out).containsExactly(10);
    offer(11, 12);
    assertThat(out).containsExactly(10, 11, 12);
  }

  @Test
  void packetsSwappedWithinTheWindowAreDeliveredInOrder() {
    offer(10, 12, 11, 15, 14, 13, 16);

    assertThat(out).containsExactly(10, 11, 12, 13, 14, 15, 16);
    assertThat(buffer.lost()).isZero();
    assertThat(buffer.late()).isZero();
  }

  @Test
  void aGapIsGivenUpWhenAFourthPacketWouldWait() {
    offer(10, 12, 13, 14);
    assertThat(out).containsExactly(10);

    offer(15);

    assertThat(out).containsExactly(10, 12, 13, 14, 15);
    assertThat(buffer.lost()).isEqualTo(1);
  }

  @Test
  void aPacketOlderThanTheLastDeliveredIsDroppedAsLate() {
    offer(10, 12, 13, 14, 15);
    offer(11);

    assertThat(out).containsExactly(10, 12, 13, 14, 15);
    assertThat(buffer.late()).isEqualTo(1);
    assertThat(buffer.duplicates()).isZero();
  }

  @Test
  void duplicatesAreDroppedWhetherDeliveredOrStillHeld() {
    offer(10, 11, 10, 13, 13, 12);

    assertThat(out).containsExactly(10, 11, 12, 13);
    assertThat(buffer.duplicates()).isEqualTo(2);
    assertThat(buffer.late()).isZero();
  }

  @Test
  void sequenceNumbersWrapAround() {
    offer(65534, 0, 65535, 1);

    assertThat(out).isEqualTo(lowBytes(65534, 65535, 0, 1));
    assertThat(buffer.lost()).isZero();
  }

  @Test
  void aNewSsrcStartsAFreshStreamAfterDeliveringWhatWasHeld() {
    offer(1L, 10, 12);
    offer(2L, 500, 501);

    assertThat(out).isEqualTo(lowBytes(10, 12, 500, 501));
    assertThat(buffer.lost()).isEqualTo(1);
  }

  @Test
  void aJumpBeyondMaxMisorderRestartsTheSequence() {
    offer(1000, 1001, 5000, 5001);
    offer(1002);

    assertThat(out).isEqualTo(lowBytes(1000, 1001, 5000, 5001, 1002));
    assertThat(buffer.late()).isZero();
    assertThat(buffer.lost()).isZero();
  }

  @Test
  void withoutCapacityAGapIsSkippedAtOnce() {
    List<Integer> direct = new ArrayList<>();
    ReorderBuffer none =
        new ReorderBuffer(0, 16, (ssrc, pt, ts, p, o, l) -> direct.add((int) p[o]));
    for (int seq : new int[] {1, 3, 2, 4}) {
      none.offer(9L, seq, 0, seq * 160L, new byte[] {(byte) seq}, 0, 1);
    }

    assertThat(direct).containsExactly(1, 3, 4);
    assertThat(none.lost()).isEqualTo(1);
    assertThat(none.late()).isEqualTo(1);
  }

  @Test
  void heldPacketsKeepTheirPayloadTypeTimestampAndStream() {
    List<String> seen = new ArrayList<>();
    ReorderBuffer b =
        new ReorderBuffer(
            3, 16, (ssrc, pt, ts, p, o, l) -> seen.add(ssrc + "/" + pt + "/" + ts + "/" + p[o]));
    b.offer(7L, 10, 0, 1600, new byte[] {10}, 0, 1);
    b.offer(7L, 12, 0, 1920, new byte[] {12}, 0, 1); // held
    b.offer(7L, 11, 101, 1760, new byte[] {11}, 0, 1); // an event, in the gap
    b.offer(8L, 500, 8, 40, new byte[] {50}, 0, 1); // a new stream flushes what is held

    assertThat(seen).containsExactly("7/0/1600/10", "7/101/1760/11", "7/0/1920/12", "8/8/40/50");
  }

  @Test
  void deliveredCountsEveryPacketHandedOn() {
    offer(1, 2, 4, 3, 3);
    assertThat(buffer.delivered()).isEqualTo(4);
  }
}
