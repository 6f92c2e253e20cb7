package org.sipline.backend.jainsip.hardening;

import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A far end that answers an INVITE, talks (PCMU RTP, 50 packets/s) for a while once the ACK has
 * come, and then vanishes: it stops sending and closes its sockets, with no BYE — a phone whose
 * network went away.
 */
final class VanishingFarEnd implements AutoCloseable {
  private static final Pattern SDP_PORT = Pattern.compile("(?m)^m=audio (\\d+) ");

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
        SIPMessage m = new StringMsgParser().parseSIPMessage(
            Arrays.copyOf(buf, p.getLength()), true, false, null);
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
          default -> { }
        }
      }
    } catch (SocketException e) {
      // Closed: vanished.
    } catch (Exception e) {
      throw new IllegalStateException("far end failed", e);
    }
  }

  private void answer(SIPRequest invite, DatagramPacket from) throws Exception {
    String offer = new String(invite.getRawContent(), StandardCharsets.US_ASCII);
    Matcher port = SDP_PORT.matcher(offer);
    if (!port.find()) {
      throw new IllegalStateException("no m=audio in the offer:\n" + offer);
    }
    ourRtpPeer = new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1)));
    SIPResponse ok = (SIPResponse) new MessageFactoryImpl().createResponse(200, invite);
    ok.getTo().setTag("far-" + sip.getLocalPort());
    ok.addHeader(new StringMsgParser().parseSIPHeader(
        "Contact: <sip:far@127.0.0.1:" + sip.getLocalPort() + ">\r\n"));
    String answer = "v=0\r\no=far 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
        + "t=0 0\r\nm=audio " + rtp.getLocalPort() + " RTP/AVP 0\r\n"
        + "a=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n";
    ok.setContent(answer, new ContentType("application", "sdp"));
    byte[] out = ok.encodeAsBytes("UDP");
    sip.send(new DatagramPacket(out, out.length, from.getSocketAddress()));
  }

  private void talk() throws IOException {
    ByteBuffer packet = ByteBuffer.allocate(12 + 160);
    long end = System.nanoTime() + talkFor.toNanos();
    long next = System.nanoTime();
    for (int seq = 0; System.nanoTime() < end; seq++) {
      packet.clear();
      packet.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(seq * 160)
          .putInt(0x0fa4e11d);
      for (int i = 0; i < 160; i++) {
        packet.put((byte) 0xff);
      }
      rtp.send(new DatagramPacket(packet.array(), packet.position(), ourRtpPeer));
      rtpSent++;
      next += TimeUnit.MILLISECONDS.toNanos(20);
      LockSupport.parkNanos(next - System.nanoTime());
    }
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
