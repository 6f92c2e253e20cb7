package org.sipline.backend.jainsip.hardening;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;

/**
 * A far end that answers an INVITE, talks (PCMU RTP, 50 packets/s) for a while once the ACK has
 * come, and then vanishes: it stops sending and closes its sockets, with no BYE — a phone whose
 * network went away.
 */
final class VanishingFarEnd implements AutoCloseable {
  private final DatagramSocket sip;
  private final DatagramSocket rtp;
  private final Duration talkFor;
  private final Thread thread;
  private volatile InetSocketAddress ourRtpPeer;
  private volatile long vanishedNanos;
  private volatile long rtpSent;

  VanishingFarEnd(Duration talkFor) throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    sip = new DatagramSocket(new InetSocketAddress(loopback, 0));
    rtp = new DatagramSocket(new InetSocketAddress(loopback, 0));
    this.talkFor = talkFor;
    thread = new Thread(this::run, "vanishing-far-end");
    thread.setDaemon(true);
    thread.start();
  }

  int sipPort() {
    return sip.getLocalPort();
  }

  /** When it went silent ({@link System#nanoTime()}), or 0 while it still talks. */
  long vanishedNanos() {
    return vanishedNanos;
  }

  long rtpSent() {
    return rtpSent;
  }

  private void run() {
    byte[] buf = new byte[65536];
    try {
      while (!sip.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        sip.receive(p);
        SIPMessage m = FarEndCall.parse(p);
        if (!(m instanceof SIPRequest request)) {
          continue;
        }
        switch (request.getMethod()) {
          case "INVITE" -> answer(request, p);
          case "ACK" -> {
            talk();
            vanish();
            return;
          }
          default -> {}
        }
      }
    } catch (SocketException e) {
      // Closed: vanished.
    } catch (Exception e) {
      throw new IllegalStateException("far end failed", e);
    }
  }

  private void answer(SIPRequest invite, DatagramPacket from) throws Exception {
    ourRtpPeer = FarEndCall.offeredRtp(invite);
    FarEndCall.ok(
        sip, invite, from, "far-" + sip.getLocalPort(), FarEndCall.pcmuAnswer(rtp.getLocalPort()));
  }

  // Single writer (the talking thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void talk() throws IOException {
    long end = System.nanoTime() + talkFor.toNanos();
    FarEndCall.talk(
        rtp, ourRtpPeer, 0x0fa4e11d, (byte) 0xff, () -> System.nanoTime() < end, () -> rtpSent++);
  }

  private void vanish() {
    vanishedNanos = System.nanoTime();
    rtp.close();
    sip.close();
  }

  @Override
  public void close() throws InterruptedException {
    rtp.close();
    sip.close();
    thread.join(2000);
  }
}
