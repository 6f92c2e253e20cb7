package org.sipline.backend.jainsip.hardening;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A far end that answers an INVITE and then talks (PCMU, 50 packets/s) until closed, keeping the
 * arrival time of every RTP packet the line sends it, so a test can measure the line's pacing. It
 * answers a BYE with 200.
 */
final class TalkingFarEnd implements AutoCloseable {
  private final DatagramSocket sip;
  private final DatagramSocket rtp;
  private final Thread signalling;
  private final Thread receiver;
  private final long[] arrivals = new long[1 << 20];
  private volatile int arrived;
  private volatile InetSocketAddress lineRtp;
  private volatile Thread talker;
  private volatile SIPRequest answered;
  private volatile String ourTag;
  private final java.util.List<Integer> responses =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  // The far end's receive thread timestamps arrivals; a prompt wake-up keeps them honest.
  @SuppressWarnings("ThreadPriorityCheck")
  TalkingFarEnd() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    sip = new DatagramSocket(new InetSocketAddress(loopback, 0));
    rtp = new DatagramSocket(new InetSocketAddress(loopback, 0));
    signalling = new Thread(this::signal, "talking-far-end-sip");
    signalling.setDaemon(true);
    signalling.start();
    receiver = new Thread(this::receive, "talking-far-end-rtp");
    receiver.setDaemon(true);
    receiver.setPriority(Thread.MAX_PRIORITY);
    receiver.start();
  }

  int sipPort() {
    return sip.getLocalPort();
  }

  /** How many RTP packets from the line have arrived so far. */
  int arrived() {
    return arrived;
  }

  /**
   * Arrival times ({@link System#nanoTime()}) of packets {@code from} (inclusive) to {@code to}.
   */
  long[] arrivals(int from, int to) {
    return Arrays.copyOfRange(arrivals, from, to);
  }

  private void signal() {
    byte[] buf = new byte[65536];
    try {
      while (!sip.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        sip.receive(p);
        SIPMessage m = FarEndCall.parse(p);
        if (m instanceof SIPResponse response) {
          responses.add(response.getStatusCode());
          continue;
        }
        if (!(m instanceof SIPRequest request)) {
          continue;
        }
        switch (request.getMethod()) {
          case "INVITE" -> answer(request, p);
          case "ACK" -> startTalking();
          case "BYE" -> reply(request, p, null);
          default -> {}
        }
      }
    } catch (SocketException e) {
      // closed
    } catch (Exception e) {
      throw new IllegalStateException("far end failed", e);
    }
  }

  private void answer(SIPRequest invite, DatagramPacket from) throws Exception {
    lineRtp = FarEndCall.offeredRtp(invite);
    answered = invite;
    reply(invite, from, FarEndCall.pcmuAnswer(rtp.getLocalPort()));
  }

  private void reply(SIPRequest request, DatagramPacket from, String sdp) throws Exception {
    ourTag = FarEndCall.ok(sip, request, from, "talker-" + sip.getLocalPort(), sdp);
  }

  /** Status codes of the responses the far end got (to its REFER), in arrival order. */
  java.util.List<Integer> responses() {
    return java.util.List.copyOf(responses);
  }

  /**
   * Sends a REFER in the call's dialog, as a far end that wants the line to call {@code referTo}
   * (toll fraud through a transfer) would.
   */
  void sendRefer(String referTo) throws IOException {
    SIPRequest invite = answered;
    javax.sip.address.SipURI contact =
        (javax.sip.address.SipURI)
            ((javax.sip.header.ContactHeader) invite.getHeader("Contact")).getAddress().getURI();
    String refer =
        "REFER "
            + contact
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:"
            + sip.getLocalPort()
            + ";branch=z9hG4bK-refer-"
            + System.nanoTime()
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <"
            + invite.getTo().getAddress().getURI()
            + ">;tag="
            + ourTag
            + "\r\n"
            + "To: <"
            + invite.getFrom().getAddress().getURI()
            + ">;tag="
            + invite.getFrom().getTag()
            + "\r\n"
            + "Call-ID: "
            + invite.getCallId().getCallId()
            + "\r\n"
            + "CSeq: 1 REFER\r\n"
            + "Contact: <sip:far@127.0.0.1:"
            + sip.getLocalPort()
            + ">\r\n"
            + "Refer-To: <"
            + referTo
            + ">\r\n"
            + "Referred-By: <sip:far@127.0.0.1>\r\n"
            + "Content-Length: 0\r\n\r\n";
    byte[] out = refer.getBytes(StandardCharsets.US_ASCII);
    sip.send(
        new DatagramPacket(
            out, out.length, new InetSocketAddress(contact.getHost(), contact.getPort())));
  }

  private synchronized void startTalking() {
    if (talker != null) {
      return;
    }
    talker = new Thread(this::talk, "talking-far-end-talk");
    talker.setDaemon(true);
    talker.start();
  }

  private void talk() {
    try {
      FarEndCall.talk(rtp, lineRtp, 0x7a1c0001, (byte) 0xfe, () -> !rtp.isClosed(), () -> {});
    } catch (IOException e) {
      // closed
    }
  }

  private void receive() {
    byte[] buf = new byte[2048];
    try {
      while (!rtp.isClosed()) {
        rtp.receive(new DatagramPacket(buf, buf.length));
        long now = System.nanoTime();
        int n = arrived;
        if (n < arrivals.length) {
          arrivals[n] = now;
          arrived = n + 1;
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws InterruptedException {
    rtp.close();
    sip.close();
    signalling.join(2000);
    receiver.join(2000);
    if (talker != null) {
      talker.join(2000);
    }
  }
}
