package org.sipline.backend.jainsip;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;

/**
 * The RTP a phone sends, built packet by packet for a pcap: 20 ms PCMU packets, and DTMF digits as
 * RFC 4733 events in their place (marker on the first, the duration growing by 160 per tick, the
 * end packet three times), with packets lost on purpose. It also says what a receiver must make of
 * it: the digits with their durations, and how many samples are missing from the audio.
 */
final class PhoneRtp {
  static final int FRAME = 160;

  /** Which packets of a digit never arrive. */
  enum Loss {
    NONE,
    /** The first two: the receiver sees the digit first at its third packet. */
    START,
    /** All three end packets: the digit ends when the next digit or enough audio comes. */
    END
  }

  private final int eventPayloadType;
  private final long ssrc;
  private final List<PcapWriter.Datagram> datagrams = new ArrayList<>();
  private final List<DtmfEvent> expected = new ArrayList<>();
  private int sequence;
  private long timestamp;
  private long tick;
  private long firstAudioTick = -1;
  private long lastAudioTick;
  private long audioPackets;

  PhoneRtp(int eventPayloadType, long ssrc, int firstSequence, long firstTimestamp) {
    this.eventPayloadType = eventPayloadType;
    this.ssrc = ssrc;
    this.sequence = firstSequence;
    this.timestamp = firstTimestamp;
  }

  /** {@code ticks} audio packets of a quiet tone. */
  PhoneRtp audio(int ticks) {
    for (int i = 0; i < ticks; i++) {
      byte[] payload = new byte[FRAME];
      Arrays.fill(payload, (byte) (0xF0 + i % 8));
      emit(0, false, timestamp, payload);
      if (firstAudioTick < 0) {
        firstAudioTick = tick;
      }
      lastAudioTick = tick;
      audioPackets++;
      advance();
    }
    return this;
  }

  /** One digit held {@code millis} (a multiple of 20), with the packets {@code loss} says lost. */
  PhoneRtp digit(char digit, int millis, Loss loss) {
    int event = DtmfEvent.DIGITS.indexOf(digit);
    int samples = millis * 8;
    int updates = samples / FRAME;
    long start = timestamp;
    int lastSent = 0;
    for (int i = 0; i < updates + 2; i++) {
      int duration = Math.min((i + 1) * FRAME, samples);
      boolean end = i >= updates - 1;
      boolean lost = (loss == Loss.START && i < 2) || (loss == Loss.END && end);
      if (!lost) {
        byte[] payload = {
          (byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >>> 8), (byte) duration
        };
        emit(eventPayloadType, i == 0, start, payload);
        lastSent = duration;
      } else {
        skip();
      }
      advance();
    }
    expected.add(DtmfEvent.start(digit, DtmfMethod.RFC4733));
    // With its end lost, the digit lasts as long as its last update said.
    expected.add(
        DtmfEvent.end(digit, (loss == Loss.END ? lastSent : samples) / 8, DtmfMethod.RFC4733));
    return this;
  }

  List<PcapWriter.Datagram> datagrams() {
    return List.copyOf(datagrams);
  }

  /** The digits a receiver reports, START and END each, in order. */
  List<DtmfEvent> expectedDigits() {
    return List.copyOf(expected);
  }

  /** Samples between the first and the last audio packet that no audio packet carried. */
  long expectedMissing() {
    return ((lastAudioTick - firstAudioTick + 1) - audioPackets) * FRAME;
  }

  long audioPackets() {
    return audioPackets;
  }

  private void emit(int payloadType, boolean marker, long ts, byte[] payload) {
    ByteBuffer p = ByteBuffer.allocate(12 + payload.length);
    p.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | payloadType));
    p.putShort((short) sequence).putInt((int) ts).putInt((int) ssrc).put(payload);
    datagrams.add(new PcapWriter.Datagram(tick * 20_000, p.array()));
    sequence = (sequence + 1) & 0xFFFF;
  }

  /** A packet lost on the way: its sequence number is used, nothing is sent. */
  private void skip() {
    sequence = (sequence + 1) & 0xFFFF;
  }

  private void advance() {
    tick++;
    timestamp = (timestamp + FRAME) & 0xFFFF_FFFFL;
  }
}
