package org.sipline.benchmarks.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callers' RTP of many calls, from the one socket every callee's SDP named: each 20 ms (on
 * absolute deadlines) one PCMU packet to each of sipline's RTP ports, each call its own SSRC,
 * sequence and timestamp. The audio is a 400 Hz square wave, so no frame of it is silence.
 *
 * <p>One thread sends them all, as a trunk would; its jitter does not enter any figure (the run
 * measures sipline's outgoing pacing and CPU, not the callers').
 */
final class ManyCallerRtp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManyCallerRtp.class);

  private static final long PERIOD_NANOS = 20_000_000L;
  private static final int HEADER = 12;
  private static final int SSRC_BASE = 0x5100_0000;

  private final DatagramChannel socket;
  private final List<InetSocketAddress> targets;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(HEADER + CallerRtp.FRAME);
  private final byte[] audio = MediaRun.squareWave(CallerRtp.FRAME);
  private final Thread thread;
  private volatile boolean running = true;
  private final AtomicLong packets = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();

  ManyCallerRtp(DatagramChannel socket, List<InetSocketAddress> targets) {
    this.socket = socket;
    this.targets = List.copyOf(targets);
    this.thread = new Thread(this::run, "many-caller-rtp");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Packets sent so far, all calls together. */
  long packets() {
    return packets.get();
  }

  /** Sends the socket refused (a full buffer drops silently; this counts exceptions only). */
  long sendFailures() {
    return sendFailures.get();
  }

  private void run() {
    int[] sequence = new int[targets.size()];
    long timestamp = 0;
    long next = System.nanoTime();
    while (running) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      for (int i = 0; i < targets.size(); i++) {
        buffer.clear();
        buffer.put((byte) 0x80).put((byte) 0); // V=2, PT 0 (PCMU)
        buffer.putShort((short) sequence[i]++);
        buffer.putInt((int) timestamp);
        buffer.putInt(SSRC_BASE + i);
        buffer.put(audio);
        buffer.flip();
        try {
          socket.send(buffer, targets.get(i));
          packets.incrementAndGet();
        } catch (IOException e) {
          sendFailures.incrementAndGet();
          log.warn("caller RTP to {} not sent: {}", targets.get(i), e.toString());
        }
      }
      timestamp += CallerRtp.FRAME;
      next += PERIOD_NANOS;
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
