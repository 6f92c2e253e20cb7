package org.sipline.backend.jainsip.media;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipFailureException;

/**
 * Sends DTMF digits as RFC 4733 telephone events in a call's own RTP stream: same SSRC, same
 * sequence numbers, one event packet in place of each audio packet while a digit lasts.
 *
 * <pre>
 *   tick:      0       1       2     …   n−1       n       n+1      n+2
 *   packet:    event   event   event     event+E   event+E event+E  audio
 *   marker:    1       0       0         0         0       0        (talkspurt rule)
 *   timestamp: T       T       T         T         T       T        T + (n+2)·160
 *   duration:  160     320     480       D         D       D
 * </pre>
 *
 * <p>Every packet of the digit carries the timestamp of the tick it began on (§2.5.1.1); the
 * duration grows by the samples of each tick up to the digit's length D, where the E bit is set
 * (§2.5.1.3), and that final packet goes out three times in all, on the next ticks, with the same
 * duration and consecutive sequence numbers (§2.5.1.4). The RTP clock runs on under the digit, so
 * the audio after it carries the timestamp of its own tick (§2.5: the time the events took is not
 * taken from the audio's timeline). Ticks the pacer skipped count into the duration, as the time
 * passed.
 *
 * <p>{@link #enqueue} may be called from any thread; digits queued while one plays follow it
 * without a gap. Everything else runs on the pacer thread and allocates nothing: the packet is
 * written into the sender's buffer. A digit's future completes on the pacer thread once its last
 * end packet was handed to the socket, or fails when none of its end packets could be, or when the
 * stream is closed first.
 */
final class TelephoneEventSender {
  static final int MIN_MILLIS = 40;
  static final int MAX_MILLIS = 2000;

  /** How many times the end packet is sent (RFC 4733 §2.5.1.4). */
  static final int END_PACKETS = 3;

  /** The power level we claim, in −dBm0: a typical keypad's tone. */
  static final int VOLUME = 10;

  /** Steps of the RTP clock per millisecond: the codec's clock, which events share. */
  private final int samplesPerMilli;

  /** One digit to send and the future of whoever asked. */
  private record Digit(
      char digit, int event, int durationSamples, int payloadType, CompletableFuture<Void> done) {}

  /** The negotiated type, or -1 while none is; a re-INVITE's new SDP may change it. */
  private volatile int payloadType;

  private final Queue<Digit> queue = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;
  private final AtomicLong digitsSent = new AtomicLong();

  // The digit being sent; written by the pacer thread (close() only reads it).
  private volatile Digit current;
  private long startTimestamp;
  private int endsSent;
  private int endsOnWire;
  private boolean firstPacket;
  private boolean lastWasEnd;

  /**
   * @param payloadType the negotiated telephone-event payload type, 0..127, or -1 for none (yet)
   */
  TelephoneEventSender(int payloadType) {
    this(payloadType, Codec.CLOCK_RATE);
  }

  /**
   * @param payloadType the negotiated telephone-event payload type, or -1 for none (yet)
   * @param clockRate the RTP clock of the call's codec (8000, 48000 with Opus)
   */
  TelephoneEventSender(int payloadType, int clockRate) {
    this.samplesPerMilli = clockRate / 1000;
    payloadType(payloadType);
  }

  /**
   * The payload type digits queued from now on are sent with (a re-INVITE's new SDP), or -1 when
   * telephone-event is no longer negotiated. A digit already queued keeps the type it was queued
   * with: all packets of one event carry one type. Any thread.
   */
  void payloadType(int payloadType) {
    if (payloadType < -1 || payloadType > 127) {
      throw new IllegalArgumentException("payload type out of range 0..127: " + payloadType);
    }
    this.payloadType = payloadType;
  }

  /** Whether a telephone-event payload type is negotiated now. */
  boolean negotiated() {
    return payloadType >= 0;
  }

  /**
   * Queues a digit; it starts on the pacer tick after the digits before it.
   *
   * @param digit one of {@code 0-9 * # A-D}
   * @param durationMillis {@value #MIN_MILLIS}..{@value #MAX_MILLIS}
   * @throws IllegalArgumentException naming the digit or duration that is out of range
   */
  CompletableFuture<Void> enqueue(char digit, int durationMillis) {
    int event = DtmfEvent.DIGITS.indexOf(digit);
    if (event < 0) {
      throw new IllegalArgumentException(
          "not a DTMF digit: '" + digit + "' (one of " + DtmfEvent.DIGITS + ")");
    }
    if (durationMillis < MIN_MILLIS || durationMillis > MAX_MILLIS) {
      throw new IllegalArgumentException(
          "DTMF duration "
              + durationMillis
              + " ms outside "
              + MIN_MILLIS
              + ".."
              + MAX_MILLIS
              + " ms");
    }
    int type = payloadType;
    if (type < 0) {
      throw new IllegalStateException("telephone-event is not negotiated");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Digit(digit, event, durationMillis * samplesPerMilli, type, done));
    if (closed) {
      // close() may have drained the queue before this digit was in it.
      failQueued();
    }
    return done;
  }

  /** Whether this tick sends an event packet: a digit is under way or waiting. Pacer thread. */
  boolean active() {
    if (current != null) {
      return true;
    }
    if (closed) {
      return false;
    }
    Digit next = queue.poll();
    if (next == null) {
      return false;
    }
    current = next;
    startTimestamp = -1;
    endsSent = 0;
    endsOnWire = 0;
    firstPacket = true;
    return true;
  }

  /**
   * Writes this tick's event packet, header and payload, into {@code out} and advances the stream's
   * numbering by one packet of {@code samples}. Only after {@link #active} returned true.
   *
   * @param send whether the packet will be handed to the socket (false: no peer address yet, its
   *     sequence number is not used)
   * @return the packet's length
   */
  int nextPacket(byte[] out, RtpPacketizer packetizer, int samples, boolean send) {
    Digit d = current;
    long now = packetizer.nextTimestamp();
    if (startTimestamp < 0) {
      startTimestamp = now;
    }
    long elapsed = ((now - startTimestamp) & 0xFFFF_FFFFL) + samples;
    int duration = (int) Math.min(elapsed, d.durationSamples());
    lastWasEnd = duration >= d.durationSamples();
    int header;
    if (send) {
      header =
          packetizer.nextEventHeader(out, d.payloadType(), startTimestamp, firstPacket, samples);
    } else {
      packetizer.skip(1, samples);
      header = RtpPacket.FIXED_HEADER_SIZE;
    }
    firstPacket = false;
    return header
        + TelephoneEventPayload.write(out, header, d.event(), lastWasEnd, VOLUME, duration);
  }

  /**
   * The packet of {@link #nextPacket} was handed to the socket ({@code onWire}) or not; after the
   * last end packet the digit is done.
   */
  void sent(boolean onWire) {
    Digit d = current;
    if (d == null || !lastWasEnd) {
      return;
    }
    endsSent++;
    if (onWire) {
      endsOnWire++;
    }
    if (endsSent < END_PACKETS) {
      return;
    }
    current = null;
    if (endsOnWire > 0) {
      digitsSent.incrementAndGet();
      d.done().complete(null);
    } else {
      d.done()
          .completeExceptionally(
              failure(
                  "DTMF '"
                      + d.digit()
                      + "' was not sent: no RTP peer address yet, or the socket refused its end"
                      + " packets"));
    }
  }

  /** Digits whose end packets went out. */
  long digitsSent() {
    return digitsSent.get();
  }

  /** Fails the digit under way and every queued one; nothing is sent afterwards. Any thread. */
  void close() {
    closed = true;
    Digit d = current;
    if (d != null) {
      d.done().completeExceptionally(stopped(d));
    }
    failQueued();
  }

  private void failQueued() {
    Digit d;
    while ((d = queue.poll()) != null) {
      d.done().completeExceptionally(stopped(d));
    }
  }

  private static SipFailureException stopped(Digit d) {
    return failure("the call's RTP stopped before DTMF '" + d.digit() + "' was sent");
  }

  private static SipFailureException failure(String what) {
    return new SipFailureException(SipFailure.noResponse(what));
  }
}
