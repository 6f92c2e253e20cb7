package org.sipline.backend.pjsip;

import java.util.function.Consumer;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;

/**
 * Turns pjsua's DTMF reports for one call into exactly one start and one end per digit.
 *
 * <p>What pjsua reports ({@code on_dtmf_event}): for RFC 4733, the first packet of an event (flags
 * 0), every later packet with a longer duration (update) and the first end packet (end flag);
 * pjmedia hides the end packet's retransmissions, but it tells events apart by digit and duration
 * only, not by their RTP timestamp. So a digit is keyed here by its timestamp: a report with
 * another timestamp is another digit (the same digit pressed twice included), and a report for a
 * digit that already ended is dropped. A digit whose end packets were all lost ends when the next
 * digit starts, or {@link #LOST_END_NANOS} after its last packet, with the longest duration seen.
 * For SIP INFO pjsua reports one end with the duration the body carries (none: 0), so start and end
 * go out together.
 *
 * <p>Used by the event thread only.
 */
final class DtmfReceiver {
  /** pjmedia's PJMEDIA_STREAM_DTMF_IS_END. */
  static final int FLAG_END = 1 << 1;

  /** pjsua's PJSUA_UNKNOWN_DTMF_DURATION, (unsigned) -1. */
  static final long UNKNOWN_DURATION = 0xFFFF_FFFFL;

  /**
   * Silence after which a digit without end packet counts as ended. RFC 4733 senders refresh a held
   * digit every 50 ms at most, so half a second is ten missed packets.
   */
  static final long LOST_END_NANOS = 500_000_000L;

  private final Consumer<DtmfEvent> out;

  private boolean active;
  private char digit;
  private long timestamp;
  private int durationMillis;
  private long lastPacketNanos;

  /** The last digit that ended, so that its late packets are not taken for a new one. */
  private boolean ended;

  private char endedDigit;
  private long endedTimestamp;

  DtmfReceiver(Consumer<DtmfEvent> out) {
    this.out = out;
  }

  /**
   * One report from pjsua.
   *
   * @param method 0 for RFC 4733, 1 for SIP INFO
   * @param timestamp the event's start in ms on the sender's clock (RFC 4733); INFO: arrival time
   * @param duration ms so far (update) or in all (end); {@link #UNKNOWN_DURATION} when unknown
   * @param flags pjmedia's update and end flags
   */
  void report(char digit, int method, long timestamp, long duration, int flags, long nowNanos) {
    int millis = duration == UNKNOWN_DURATION ? 0 : (int) Math.min(Integer.MAX_VALUE, duration);
    boolean end = (flags & FLAG_END) != 0;
    if (method == 1) {
      endActive();
      out.accept(DtmfEvent.start(digit, DtmfMethod.SIP_INFO));
      out.accept(DtmfEvent.end(digit, millis, DtmfMethod.SIP_INFO));
      return;
    }
    if (active && (digit != this.digit || timestamp != this.timestamp)) {
      endActive();
    }
    if (!active) {
      if (ended && digit == endedDigit && timestamp == endedTimestamp) {
        return; // a late or repeated packet of a digit already ended
      }
      active = true;
      this.digit = digit;
      this.timestamp = timestamp;
      this.durationMillis = 0;
      out.accept(DtmfEvent.start(digit, DtmfMethod.RFC4733));
    }
    durationMillis = Math.max(durationMillis, millis);
    lastPacketNanos = nowNanos;
    if (end) {
      endActive();
    }
  }

  /** Ends a digit whose packets stopped without an end packet. */
  void expire(long nowNanos) {
    if (active && nowNanos - lastPacketNanos >= LOST_END_NANOS) {
      endActive();
    }
  }

  /** The call ended: a digit still held ends with it. */
  void callEnded() {
    endActive();
  }

  /** True while a digit has started and not ended. */
  boolean active() {
    return active;
  }

  private void endActive() {
    if (!active) {
      return;
    }
    active = false;
    ended = true;
    endedDigit = digit;
    endedTimestamp = timestamp;
    out.accept(DtmfEvent.end(digit, durationMillis, DtmfMethod.RFC4733));
  }
}
