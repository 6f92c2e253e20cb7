package org.sipline.backend.jainsip.media;

import java.io.ByteArrayOutputStream;

/** Builds RTP packets byte by byte for tests, including the parts our sender never writes. */
final class RtpPackets {
  private int version = 2;
  private boolean marker;
  private int payloadType;
  private int sequence;
  private long timestamp;
  private long ssrc = 0x1234_5678L;
  private long[] csrcs = new long[0];
  private int claimedCsrcCount = -1;
  private byte[] extension;
  private int extensionProfile = 0xBEDE;
  private int claimedExtensionWords = -1;
  private byte[] payload = new byte[0];
  private int padding;
  private int claimedPadding = -1;

  static RtpPackets packet() {
    return new RtpPackets();
  }

  RtpPackets version(int v) {
    version = v;
    return this;
  }

  RtpPackets marker(boolean m) {
    marker = m;
    return this;
  }

  RtpPackets payloadType(int pt) {
    payloadType = pt;
    return this;
  }

  RtpPackets sequence(int s) {
    sequence = s;
    return this;
  }

  RtpPackets timestamp(long ts) {
    timestamp = ts;
    return this;
  }

  RtpPackets ssrc(long s) {
    ssrc = s;
    return this;
  }

  RtpPackets csrcs(long... c) {
    csrcs = c;
    return this;
  }

  /** Claims a CSRC count in the first byte regardless of how many are written. */
  RtpPackets claimCsrcCount(int cc) {
    claimedCsrcCount = cc;
    return this;
  }

  /** Adds a header extension whose body is {@code body} (a multiple of 4 bytes). */
  RtpPackets extension(byte[] body) {
    extension = body;
    return this;
  }

  RtpPackets claimExtensionWords(int words) {
    claimedExtensionWords = words;
    return this;
  }

  RtpPackets payload(byte[] p) {
    payload = p;
    return this;
  }

  RtpPackets padding(int count) {
    padding = count;
    return this;
  }

  /** Writes {@code count} as the last byte instead of the real padding length. */
  RtpPackets claimPadding(int count) {
    claimedPadding = count;
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int cc = claimedCsrcCount >= 0 ? claimedCsrcCount : csrcs.length;
    boolean hasPadding = padding > 0 || claimedPadding >= 0;
    out.write(
        (version << 6) | (hasPadding ? 0x20 : 0) | (extension != null ? 0x10 : 0) | (cc & 0x0F));
    out.write((marker ? 0x80 : 0) | (payloadType & 0x7F));
    u16(out, sequence);
    u32(out, timestamp);
    u32(out, ssrc);
    for (long c : csrcs) {
      u32(out, c);
    }
    if (extension != null) {
      u16(out, extensionProfile);
      u16(out, claimedExtensionWords >= 0 ? claimedExtensionWords : extension.length / 4);
      out.writeBytes(extension);
    }
    out.writeBytes(payload);
    if (hasPadding) {
      int n = Math.max(padding, 1);
      for (int i = 0; i < n - 1; i++) {
        out.write(0);
      }
      out.write(claimedPadding >= 0 ? claimedPadding : n);
    }
    return out.toByteArray();
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    out.write((int) (v >>> 24));
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
  }
}
