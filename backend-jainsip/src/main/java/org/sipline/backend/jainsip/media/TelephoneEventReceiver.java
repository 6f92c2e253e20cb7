package org.sipline.backend.jainsip.media;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;

/**
 * Turns the RFC 4733 telephone-event packets of one RTP stream into DTMF digits: a START on the
 * first packet of a digit and one END with its duration, however the packets came.
 *
 * <p>An event is named by its RTP timestamp (§2.5.1.1: every packet of an event carries the time it
 * began), so one timestamp is one digit:
 *
 * <ul>
 *   <li>the first packet of a new timestamp starts the digit, whichever packet it is: with the
 *       first packets lost, a later update or even an end packet still gives START (then END);
 *   <li>the first end packet (E bit) ends it, with the duration it carries; the two retransmitted
 *       end packets (§2.5.1.4), and anything else of that timestamp arriving later, are ignored;
 *   <li>a newer timestamp while a digit is open ends that digit first, with the longest duration
 *       seen for it: its end packets were all lost;
 *   <li>audio that runs more than {@value #END_GRACE_MILLIS} ms past the open digit's known end
 *       ends it too (§2.5.2.2: without updates the receiver ends the event), so a lost end is
 *       reported even when no other digit follows; senders that keep sending audio during the digit
 *       (baresip does) stay within the grace while their updates arrive;
 *   <li>and when nothing comes at all (a sender that sends no audio between digits, or stops
 *       sending), the same rule by our clock ({@link #expire}): the digit ends once more than
 *       {@value #END_GRACE_MILLIS} ms have passed beyond the end its last packet reported (its
 *       start, estimated from its first packet's arrival less the duration that packet carried,
 *       plus the latest duration) and since its last packet arrived. A sender refreshes an ongoing
 *       event every packet interval (RFC 4733 §2.5.1.2; 50 ms is usual), so 200 ms of nothing is
 *       four updates lost in a row: the end packets are gone too. The END carries the longest
 *       duration seen, which is what the caller is known to have pressed;
 *   <li>a packet older than the latest event (a straggler of an earlier digit) is ignored.
 * </ul>
 *
 * <p>Events 16 and above (flash, tones) are not DTMF: they are counted and otherwise ignored, but
 * their timestamps still order the stream. The duration is converted at the clock of the call's
 * codec, which telephone-event shares (8 kHz, 48 kHz with Opus; RFC 4733 §2.1). Used by the receive
 * thread only; allocates nothing but the events it reports.
 */
final class TelephoneEventReceiver {
  /** How far audio may run past an open digit's last known end before the digit counts as ended. */
  static final int END_GRACE_MILLIS = 200;

  private static final long END_GRACE_NANOS = END_GRACE_MILLIS * 1_000_000L;

  private final int samplesPerMilli;
  private final int endGraceSamples;
  private final long nanosPerSample;

  private final Consumer<DtmfEvent> sink;
  private final TelephoneEventPayload payload = new TelephoneEventPayload();

  /** Whether an event was seen in this stream, so {@link #latest} means something. */
  private boolean seen;

  /** The timestamp of the latest event seen. */
  private long latest;

  /** Whether the latest event is a digit that has started and not ended. */
  private boolean open;

  private char openDigit;
  private int openDuration;

  /** The open digit's start by our clock (its first packet's arrival less its duration). */
  private long openStartNanos;

  /** When the open digit's last packet arrived. */
  private long openLastNanos;

  private final AtomicLong digits = new AtomicLong();
  private final AtomicLong otherEvents = new AtomicLong();

  /**
   * @param sink where digits go, in order; it must not throw (the receive thread serves every call)
   */
  TelephoneEventReceiver(Consumer<DtmfEvent> sink) {
    this(sink, Codec.CLOCK_RATE);
  }

  /**
   * @param sink where digits go, in order; it must not throw
   * @param clockRate the RTP clock of the call's codec, which events share
   */
  TelephoneEventReceiver(Consumer<DtmfEvent> sink, int clockRate) {
    this.sink = sink;
    this.samplesPerMilli = clockRate / 1000;
    this.endGraceSamples = END_GRACE_MILLIS * samplesPerMilli;
    this.nanosPerSample = 1_000_000_000L / clockRate;
  }

  /**
   * Takes one telephone-event packet, in sequence order.
   *
   * @param timestamp the packet's RTP timestamp: the start of its event
   * @param arrivalNanos when it arrived, on the clock {@link #expire} is given
   * @throws MalformedRtpException when the payload is shorter than an event
   */
  void onPacket(long timestamp, long arrivalNanos, byte[] buf, int offset, int length)
      throws MalformedRtpException {
    payload.parse(buf, offset, length);
    if (seen) {
      int age = (int) (timestamp - latest); // RFC 3550 timestamps wrap at 2^32
      if (age < 0) {
        return;
      }
      if (age == 0) {
        if (open) {
          openLastNanos = arrivalNanos;
        }
        update();
        return;
      }
    }
    if (open) {
      end(openDuration);
    }
    seen = true;
    latest = timestamp;
    int event = payload.event();
    if (event > TelephoneEventPayload.LAST_DTMF_EVENT) {
      otherEvents.incrementAndGet();
      return;
    }
    openDigit = DtmfEvent.DIGITS.charAt(event);
    openDuration = payload.duration();
    openStartNanos = arrivalNanos - openDuration * nanosPerSample;
    openLastNanos = arrivalNanos;
    open = true;
    digits.incrementAndGet();
    sink.accept(DtmfEvent.start(openDigit, DtmfMethod.RFC4733));
    if (payload.end()) {
      end(openDuration);
    }
  }

  /**
   * Audio at {@code timestamp} was received (in sequence order): the open digit ends when the audio
   * is well past it.
   */
  void onAudio(long timestamp) {
    if (open && (int) (timestamp - latest) - openDuration > endGraceSamples) {
      end(openDuration);
    }
  }

  /**
   * Nothing arrived for a while: an open digit whose packets stopped more than {@value
   * #END_GRACE_MILLIS} ms ago, and which by our clock is more than that past the end its last
   * packet reported, ends with the longest duration seen. Called now and then by the receive thread
   * (every {@link ReceiveLoop#IDLE_CHECK_MILLIS} ms or so).
   */
  void expire(long nowNanos) {
    if (!open) {
      return;
    }
    long knownEnd = Math.max(openLastNanos, openStartNanos + openDuration * nanosPerSample);
    if (nowNanos - knownEnd > END_GRACE_NANOS) {
      end(openDuration);
    }
  }

  /** The stream starts again (a new SSRC): an open digit ends, and timestamps start afresh. */
  void newStream() {
    if (open) {
      end(openDuration);
    }
    seen = false;
  }

  /** Digits started. */
  long digits() {
    return digits.get();
  }

  /** Events that are not DTMF digits (16 and above). */
  long otherEvents() {
    return otherEvents.get();
  }

  /** Another packet of the latest event: an update or the end while it is open, else nothing. */
  private void update() {
    if (!open) {
      return;
    }
    openDuration = Math.max(openDuration, payload.duration());
    if (payload.end()) {
      end(payload.duration());
    }
  }

  private void end(int duration) {
    open = false;
    sink.accept(
        DtmfEvent.end(
            openDigit, (duration + samplesPerMilli / 2) / samplesPerMilli, DtmfMethod.RFC4733));
  }
}
