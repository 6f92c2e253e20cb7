package org.sipline.benchmarks.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's RTP, sent by the harness itself from the socket its SDP named (sipline accepts RTP
 * only from there): one PCMU packet every 20 ms on absolute deadlines, and RFC 4733 digits in the
 * same stream (same SSRC and sequence space) in place of the audio while they play, as a phone
 * sends them.
 *
 * <pre>
 *   tick ─┬─ no digit:  PCMU packet (PT 0), timestamp += 160
 *         └─ a digit:   event packets (marker on the first), duration growing by 160 per tick,
 *                       then the end packet three times; no audio meanwhile, the clock runs on
 * </pre>
 *
 * <p>What went out is kept (the first audio timestamp, each digit's first and first end packet), so
 * that the capture's packets can be matched with the events sipline reported. The sender's own
 * jitter does not enter any figure: delays are taken from the capture's timestamps.
 */
final class CallerRtp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallerRtp.class);

  static final int FRAME = 160;
  private static final long PERIOD_NANOS = 20_000_000L;
  private static final int HEADER = 12;
  private static final int END_PACKETS = 3;

  /** One digit the caller sent, as the harness asked and as it went out. */
  record SentDigit(
      char digit,
      int durationSamples,
      long eventTimestamp,
      int firstSequence,
      int firstEndSequence,
      long firstSendNanos) {
    int durationMillis() {
      return durationSamples / 8;
    }
  }

  private record DigitRequest(char digit, int durationSamples) {}

  private final DatagramChannel socket;
  private final InetSocketAddress to;
  private final int eventPayloadType;
  private final long ssrc;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(HEADER + FRAME);
  private final byte[] audio = new byte[FRAME];
  private final ConcurrentLinkedQueue<DigitRequest> digitsAsked = new ConcurrentLinkedQueue<>();
  private final List<SentDigit> digitsSent = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean audioOn = true;

  // The sender thread's own.
  private int sequence;
  private long timestamp;
  private DigitRequest digit;
  private long digitTimestamp;
  private int digitTicks;
  private int endsSent;
  private int digitFirstSequence;
  private long digitFirstNanos;
  private int digitFirstEndSequence;

  // Written by the sender thread once, read by others after it was set.
  private volatile long firstAudioTimestamp = -1;
  private volatile long audioPackets;
  private volatile long eventPackets;

  /**
   * @param socket the harness's RTP socket (bound; what the SDP answer named)
   * @param to sipline's RTP port
   * @param eventPayloadType the negotiated telephone-event payload type
   * @param seed SSRC, first sequence number and timestamp
   */
  CallerRtp(DatagramChannel socket, InetSocketAddress to, int eventPayloadType, long seed) {
    this.socket = socket;
    this.to = to;
    this.eventPayloadType = eventPayloadType;
    SplittableRandom random = new SplittableRandom(seed);
    this.ssrc = random.nextLong(1L << 32);
    this.sequence = random.nextInt(1 << 16);
    this.timestamp = random.nextLong(1L << 32);
    // A 400 Hz tone at about -12 dBFS: never µ-law silence, so any byte of it is audible.
    for (int i = 0; i < FRAME; i++) {
      short s = (short) Math.round(8000 * Math.sin(2 * Math.PI * 400 * i / 8000.0));
      audio[i] = org.sipline.core.audio.G711.linearToUlaw(s);
    }
    this.thread = new Thread(this::run, "caller-rtp");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The RTP timestamp of the first audio packet sent, or -1 before it. */
  long firstAudioTimestamp() {
    return firstAudioTimestamp;
  }

  long audioPackets() {
    return audioPackets;
  }

  long eventPackets() {
    return eventPackets;
  }

  /** Sends a digit of {@code durationSamples} at the next free tick, in place of audio. */
  void dtmf(char digit, int durationSamples) {
    if (durationSamples < FRAME || durationSamples % 8 != 0) {
      throw new IllegalArgumentException(
          "digit duration must be a whole number of ms and at least one packet: "
              + durationSamples);
    }
    digitsAsked.add(new DigitRequest(digit, durationSamples));
  }

  /** Whether audio is sent on ticks without a digit (off: nothing, the clock runs on). */
  void audio(boolean on) {
    audioOn = on;
  }

  /** Digits whose end packets have all gone out. */
  List<SentDigit> digitsSent() {
    synchronized (digitsSent) {
      return List.copyOf(digitsSent);
    }
  }

  private void run() {
    long next = System.nanoTime();
    while (running) {
      try {
        tick();
      } catch (IOException e) {
        if (running) {
          log.warn("caller RTP send failed: {}", e.toString());
        }
      }
      next += PERIOD_NANOS;
      long wait;
      while ((wait = next - System.nanoTime()) > 0 && running) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  // Single writer (this thread), read elsewhere: volatile for visibility, ++ cannot race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void tick() throws IOException {
    if (digit == null) {
      digit = digitsAsked.poll();
      if (digit != null) {
        digitTimestamp = timestamp;
        digitTicks = 0;
        endsSent = 0;
      }
    }
    if (digit != null) {
      sendEvent();
      eventPackets++;
    } else if (audioOn) {
      header(0, false, timestamp);
      buffer.put(audio).flip();
      socket.send(buffer, to);
      if (firstAudioTimestamp < 0) {
        firstAudioTimestamp = timestamp;
      }
      audioPackets++;
    }
    timestamp = (timestamp + FRAME) & 0xFFFF_FFFFL;
  }

  private void sendEvent() throws IOException {
    int duration = Math.min((digitTicks + 1) * FRAME, digit.durationSamples());
    boolean end = duration >= digit.durationSamples();
    if (digitTicks == 0) {
      digitFirstSequence = sequence;
      digitFirstNanos = WallClock.nanos();
    }
    if (end && endsSent == 0) {
      digitFirstEndSequence = sequence;
    }
    header(eventPayloadType, digitTicks == 0, digitTimestamp);
    int code = "0123456789*#ABCD".indexOf(digit.digit());
    buffer.put((byte) code);
    buffer.put((byte) ((end ? 0x80 : 0) | 10)); // E bit, volume -10 dBm0
    buffer.putShort((short) duration);
    buffer.flip();
    socket.send(buffer, to);
    digitTicks++;
    if (end && ++endsSent == END_PACKETS) {
      synchronized (digitsSent) {
        digitsSent.add(
            new SentDigit(
                digit.digit(),
                digit.durationSamples(),
                digitTimestamp,
                digitFirstSequence,
                digitFirstEndSequence,
                digitFirstNanos));
      }
      digit = null;
    }
  }

  private void header(int payloadType, boolean marker, long ts) {
    buffer.clear();
    buffer.put((byte) 0x80);
    buffer.put((byte) ((marker ? 0x80 : 0) | payloadType));
    buffer.putShort((short) sequence);
    buffer.putInt((int) ts);
    buffer.putInt((int) ssrc);
    sequence = (sequence + 1) & 0xFFFF;
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
