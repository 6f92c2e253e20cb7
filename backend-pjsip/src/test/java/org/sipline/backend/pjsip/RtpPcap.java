package org.sipline.backend.pjsip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sipline.core.spi.DtmfEvent;

/**
 * An RTP stream as a caller would send it, written as a pcap file for SIPp's {@code
 * play_pcap_audio}: loud PCMU audio every 20 ms, RFC 4733 digits in place of audio packets (first
 * packet marked, the duration growing by 160 every 20 ms, the end packet sent three times, the
 * timestamp the digit's start), gaps (packets never sent) and holds (packets sent late, together).
 * One SSRC, continuous sequence numbers except across a gap, send times from the RTP clock except
 * within a hold.
 *
 * <p>Frames are Ethernet/IPv4/UDP with valid checksums; SIPp rewrites addresses and ports.
 */
final class RtpPcap {
  /** The telephone-event payload type pjsip offers (PJMEDIA_RTP_PT_TELEPHONE_EVENTS). */
  static final int EVENT_PT = 120;

  private static final int SSRC = 0x5EED1234;

  private final List<Long> times = new ArrayList<>();
  private final List<byte[]> packets = new ArrayList<>();
  private int seq = 1000;

  /** The RTP clock of the next packet slot: audio timestamps and send times follow it. */
  private long clock = 160_000;

  private boolean talkspurt = true;

  /** No packet is sent before this point of the RTP clock (see {@link #hold}). */
  private long heldUntil;

  /** A loud PCMU square wave (±8031) for {@code millis} (a multiple of 20). */
  RtpPcap audio(int millis) {
    for (int t = 0; t < millis; t += 20) {
      byte[] payload = new byte[160];
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) ((i / 4) % 2 == 0 ? 0x80 : 0x00);
      }
      add(rtp(0, talkspurt, clock, payload));
      talkspurt = false;
    }
    return this;
  }

  /**
   * A digit held {@code millis} (a multiple of 20): one packet per 20 ms, the last of them the end
   * packet, sent three times in all (RFC 4733 2.5.1.4), each 20 ms after the other.
   */
  RtpPcap digit(char digit, int millis) {
    int event = DtmfEvent.DIGITS.indexOf(digit);
    if (event < 0 || millis % 20 != 0 || millis <= 0) {
      throw new IllegalArgumentException("digit " + digit + " for " + millis + " ms");
    }
    long start = clock;
    boolean first = true;
    for (int samples = 160; samples <= millis * 8; samples += 160) {
      boolean end = samples == millis * 8;
      for (int copy = 0; copy < (end ? 3 : 1); copy++) {
        add(rtp(EVENT_PT, first, start, eventPayload(event, end, samples)));
        first = false;
      }
    }
    talkspurt = true;
    return this;
  }

  /** {@code millis} of audio the caller sent but the network lost: time and sequence go on. */
  RtpPcap gap(int millis) {
    seq += millis / 20;
    clock += millis * 8L;
    return this;
  }

  /**
   * The next {@code millis} of packets are held back (a stalled sender or link) and then sent
   * together at the end of the hold: late, but nothing lost, and time and sequence go on.
   */
  RtpPcap hold(int millis) {
    heldUntil = clock + millis * 8L;
    return this;
  }

  private static byte[] eventPayload(int event, boolean end, int duration) {
    return new byte[] {
      (byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration
    };
  }

  private byte[] rtp(int pt, boolean marker, long ts, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
    b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt));
    b.putShort((short) seq++).putInt((int) ts).putInt(SSRC).put(payload);
    return b.array();
  }

  /** Sent at the packet's slot on the RTP clock, so packets go 20 ms apart. */
  private void add(byte[] rtp) {
    times.add((Math.max(clock, heldUntil) - 160_000) * 125);
    packets.add(rtp);
    clock += 160;
  }

  void write(Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    header.putInt(65535).putInt(1); // LINKTYPE_ETHERNET
    out.write(header.array());
    for (int i = 0; i < packets.size(); i++) {
      byte[] frame = ethernetFrame(packets.get(i));
      long micros = times.get(i) + 1_000_000L;
      ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
      rec.putInt(frame.length).putInt(frame.length);
      out.write(rec.array());
      out.write(frame);
    }
    Files.write(file, out.toByteArray());
  }

  private static byte[] ethernetFrame(byte[] rtp) {
    byte[] src = {127, 0, 0, 1};
    byte[] dst = {127, 0, 0, 1};
    int udpLength = 8 + rtp.length;
    ByteBuffer udp = ByteBuffer.allocate(udpLength);
    udp.putShort((short) 40000)
        .putShort((short) 40002)
        .putShort((short) udpLength)
        .putShort((short) 0);
    udp.put(rtp);
    byte[] udpBytes = udp.array();
    ByteBuffer pseudo = ByteBuffer.allocate(12 + udpLength);
    pseudo.put(src).put(dst).put((byte) 0).put((byte) 17).putShort((short) udpLength).put(udpBytes);
    int udpSum = checksum(pseudo.array());
    udpBytes[6] = (byte) (udpSum >> 8);
    udpBytes[7] = (byte) udpSum;

    ByteBuffer ip = ByteBuffer.allocate(20);
    ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength));
    ip.putShort((short) 0)
        .putShort((short) 0x4000)
        .put((byte) 64)
        .put((byte) 17)
        .putShort((short) 0);
    ip.put(src).put(dst);
    byte[] ipBytes = ip.array();
    int ipSum = checksum(ipBytes);
    ipBytes[10] = (byte) (ipSum >> 8);
    ipBytes[11] = (byte) ipSum;

    ByteBuffer frame = ByteBuffer.allocate(14 + 20 + udpLength);
    frame.put(new byte[12]).putShort((short) 0x0800).put(ipBytes).put(udpBytes);
    return frame.array();
  }

  private static int checksum(byte[] data) {
    long sum = 0;
    for (int i = 0; i < data.length; i += 2) {
      int hi = data[i] & 0xff;
      int lo = i + 1 < data.length ? data[i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    int result = (int) (~sum & 0xffff);
    return result == 0 ? 0xffff : result;
  }
}
