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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the scripted far ends of the hardening tests share: reading a datagram from the line,
 * finding where the line's offer wants RTP, answering with 200 OK and a PCMU answer, and talking
 * PCMU at 50 packets/s on a clock of absolute deadlines.
 */
final class FarEndCall {
  private static final Pattern SDP_PORT = Pattern.compile("(?m)^m=audio (\\d+) ");

  private FarEndCall() {}

  /** The SIP message in {@code packet}, parsed as the RI does. */
  static SIPMessage parse(DatagramPacket packet) throws ParseException {
    return new StringMsgParser()
        .parseSIPMessage(Arrays.copyOf(packet.getData(), packet.getLength()), true, false, null);
  }

  /** Where the INVITE's offer wants RTP: its m=audio port at 127.0.0.1. */
  static InetSocketAddress offeredRtp(SIPRequest invite) {
    String offer = new String(invite.getRawContent(), StandardCharsets.US_ASCII);
    Matcher port = SDP_PORT.matcher(offer);
    if (!port.find()) {
      throw new IllegalStateException("no m=audio in the offer:\n" + offer);
    }
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1)));
  }

  /** Our answer: PCMU only, RTP at {@code rtpPort} of 127.0.0.1. */
  static String pcmuAnswer(int rtpPort) {
    return "v=0\r\no=far 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
        + "t=0 0\r\nm=audio "
        + rtpPort
        + " RTP/AVP 0\r\n"
        + "a=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n";
  }

  /**
   * Sends 200 OK to {@code request} from {@code sip} back to {@code from}, with To tag {@code
   * toTag} unless the request has one, our Contact, and {@code sdp} when not null. Returns the To
   * tag the response carries.
   */
  static String ok(
      DatagramSocket sip, SIPRequest request, DatagramPacket from, String toTag, String sdp)
      throws ParseException, IOException {
    SIPResponse ok = (SIPResponse) new MessageFactoryImpl().createResponse(200, request);
    if (ok.getTo().getTag() == null) {
      ok.getTo().setTag(toTag);
    }
    ok.addHeader(
        StringMsgParser.parseSIPHeader(
            "Contact: <sip:far@127.0.0.1:" + sip.getLocalPort() + ">\r\n"));
    if (sdp != null) {
      ok.setContent(sdp, new ContentType("application", "sdp"));
    }
    byte[] out = ok.encodeAsBytes("UDP");
    sip.send(new DatagramPacket(out, out.length, from.getSocketAddress()));
    return ok.getTo().getTag();
  }

  /**
   * PCMU packets of {@code fill} bytes with SSRC {@code ssrc} from {@code rtp} to {@code to}, one
   * every 20 ms, while {@code goOn} says so; {@code sent} runs after each one.
   */
  static void talk(
      DatagramSocket rtp,
      InetSocketAddress to,
      int ssrc,
      byte fill,
      BooleanSupplier goOn,
      Runnable sent)
      throws IOException {
    ByteBuffer packet = ByteBuffer.allocate(12 + 160);
    long next = System.nanoTime();
    for (int seq = 0; goOn.getAsBoolean(); seq++) {
      packet.clear();
      packet.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(seq * 160).putInt(ssrc);
      for (int i = 0; i < 160; i++) {
        packet.put(fill);
      }
      rtp.send(new DatagramPacket(packet.array(), packet.position(), to));
      sent.run();
      next += TimeUnit.MILLISECONDS.toNanos(20);
      LockSupport.parkNanos(next - System.nanoTime());
    }
  }
}
