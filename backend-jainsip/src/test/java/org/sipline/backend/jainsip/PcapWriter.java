package org.sipline.backend.jainsip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes UDP datagrams into a classic pcap file (Ethernet, IPv4, UDP), the form SIPp's {@code
 * play_pcap_audio} replays: it sends each datagram's UDP payload at the capture's pace, from its
 * media port to the peer's, keeping the payload as it is — so an RTP stream with exactly known
 * sequence numbers, timestamps and telephone events can be played into a call.
 *
 * <p>All datagrams go from 127.0.0.1:{@value #PORT} to 127.0.0.1:{@value #PORT}: SIPp maps the
 * lowest destination port to the peer's media port and sends from its own, so one port here means
 * one stream there.
 */
final class PcapWriter {
  static final int PORT = 6000;

  private static final int ETHERNET = 1;
  private static final int ETHERNET_HEADER = 14;
  private static final int IPV4_HEADER = 20;
  private static final int UDP_HEADER = 8;

  /** One datagram and when it was sent, in microseconds from the first. */
  record Datagram(long micros, byte[] payload) {}

  private PcapWriter() {}

  static void write(Path file, List<Datagram> datagrams) throws IOException {
    int size = 24;
    for (Datagram d : datagrams) {
      size += 16 + ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER + d.payload().length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    // The global header, in the writer's (little-endian) byte order, as the magic number says.
    out.order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    out.putInt(65_535).putInt(ETHERNET);
    int id = 1;
    for (Datagram d : datagrams) {
      int frame = ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER + d.payload().length;
      out.order(ByteOrder.LITTLE_ENDIAN);
      out.putInt((int) (d.micros() / 1_000_000)).putInt((int) (d.micros() % 1_000_000));
      out.putInt(frame).putInt(frame);
      out.order(ByteOrder.BIG_ENDIAN);
      out.put(new byte[12]).putShort((short) 0x0800);
      byte[] ip = ipv4Header(IPV4_HEADER + UDP_HEADER + d.payload().length, id++);
      out.put(ip);
      out.putShort((short) PORT).putShort((short) PORT);
      out.putShort((short) (UDP_HEADER + d.payload().length)).putShort((short) 0);
      out.put(d.payload());
    }
    Files.write(file, out.array());
  }

  private static byte[] ipv4Header(int totalLength, int id) {
    ByteBuffer h = ByteBuffer.allocate(IPV4_HEADER);
    h.put((byte) 0x45).put((byte) 0).putShort((short) totalLength);
    h.putShort((short) id).putShort((short) 0);
    h.put((byte) 64).put((byte) 17).putShort((short) 0);
    h.put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
    byte[] b = h.array();
    int sum = 0;
    for (int i = 0; i < IPV4_HEADER; i += 2) {
      sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    sum = (sum & 0xFFFF) + (sum >>> 16);
    sum = (sum & 0xFFFF) + (sum >>> 16);
    int checksum = ~sum & 0xFFFF;
    b[10] = (byte) (checksum >>> 8);
    b[11] = (byte) checksum;
    return b;
  }
}
