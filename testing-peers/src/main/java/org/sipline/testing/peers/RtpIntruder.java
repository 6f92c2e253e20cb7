package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.sipline.core.audio.G711;
import org.sipline.testing.TestSignals;

/**
 * RTP from where no far end is: every 100 ms, a burst of {@value #BURST} PCMU packets of a loud
 * tone to each even port of a line's RTP range, from one of its sources in turn (127.0.0.2, the
 * stranger's host, and another port of 127.0.0.1, the far ends' host), so that whichever port a
 * call gets is sprayed from before its far end's first packet to after its last, and each burst
 * lands between two of the far end's packets with more in a row than a latching stack's probation
 * allows (pjmedia switches to a new source after 10). Bursts rather than a steady stream, so that
 * the far end's own packets are not lost to a flood on a busy machine. Each source keeps its own
 * SSRC, sequence and timestamp, as a real stream would. Closing it stops it.
 */
public final class RtpIntruder implements AutoCloseable {
  private static final int SAMPLES = 160;
  private static final int BURST = 12;

  private final List<DatagramSocket> sources;
  private final int portMin;
  private final int portMax;
  private final byte[] payload = new byte[SAMPLES];
  private final AtomicLong sent = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private RtpIntruder(List<DatagramSocket> sources, int portMin, int portMax) {
    this.sources = sources;
    this.portMin = portMin;
    this.portMax = portMax;
    G711.encodeUlaw(TestSignals.tone(3000, 8000, SAMPLES, 30_000), 0, payload, 0, SAMPLES);
    thread = new Thread(this::run, "rtp-intruder");
    thread.setDaemon(true);
  }

  /** Starts spraying the even ports of {@code portMin..portMax} on 127.0.0.1. */
  public static RtpIntruder start(int portMin, int portMax) {
    try {
      RtpIntruder intruder =
          new RtpIntruder(
              List.of(
                  new DatagramSocket(
                      new InetSocketAddress(InetAddress.getByName(Stranger.HOST), 0)),
                  new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))),
              portMin,
              portMax);
      intruder.thread.start();
      return intruder;
    } catch (IOException e) {
      throw new UncheckedIOException("RTP intruder", e);
    }
  }

  /** Packets sent so far. */
  public long sent() {
    return sent.get();
  }

  private void run() {
    InetAddress line = InetAddress.getLoopbackAddress();
    int[] seq = new int[sources.size()];
    long next = System.nanoTime();
    for (long tick = 0; running; tick++) {
      int s = (int) (tick % sources.size());
      for (int i = 0; i < BURST; i++) {
        byte[] packet = packet(0x5eed0000 + s, seq[s], seq[s] * SAMPLES);
        seq[s] = (seq[s] + 1) & 0xffff;
        for (int port = portMin + (portMin & 1); port <= portMax; port += 2) {
          try {
            sources.get(s).send(new DatagramPacket(packet, packet.length, line, port));
            sent.incrementAndGet();
          } catch (IOException e) {
            // A port nobody listens on answers ICMP unreachable: the next packet goes anyway.
          }
        }
      }
      next += 100_000_000L;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private byte[] packet(int ssrc, int seq, int timestamp) {
    byte[] p = new byte[12 + SAMPLES];
    p[0] = (byte) 0x80;
    p[1] = 0; // PCMU
    p[2] = (byte) (seq >> 8);
    p[3] = (byte) seq;
    p[4] = (byte) (timestamp >> 24);
    p[5] = (byte) (timestamp >> 16);
    p[6] = (byte) (timestamp >> 8);
    p[7] = (byte) timestamp;
    p[8] = (byte) (ssrc >> 24);
    p[9] = (byte) (ssrc >> 16);
    p[10] = (byte) (ssrc >> 8);
    p[11] = (byte) ssrc;
    System.arraycopy(payload, 0, p, 12, SAMPLES);
    return p;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sources.forEach(DatagramSocket::close);
  }
}
