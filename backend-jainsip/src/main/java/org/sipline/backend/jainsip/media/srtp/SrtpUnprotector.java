package org.sipline.backend.jainsip.media.srtp;

/**
 * The far end's SRTP and SRTCP (RFC 3711 §3.3, §3.4): checks the tag and the replay window,
 * decrypts in place. A packet that fails is left as it came and answered with a negative code, and
 * counted: the receive loop serves every call, so nothing here throws for what the network sent.
 * One thread at a time per kind (RTP, RTCP); the counters may be read from any thread.
 */
public final class SrtpUnprotector {
  /** The tag did not match: a forged or damaged packet, or keys that differ. */
  public static final int AUTH_FAILED = -1;

  /** An index already authenticated inside the window. */
  public static final int REPLAYED = -2;

  /** An index more than {@link ReplayWindow#SIZE} behind the highest one. */
  public static final int OUT_OF_WINDOW = -3;

  /** Too short for a header and a tag. */
  public static final int MALFORMED = -4;

  /** Far-end SSRCs remembered at once; a call has one, a restarted stream two. */
  private static final int STREAMS = 4;

  private final SrtpSuite suite;
  private final SessionCrypto rtp;
  private final SessionCrypto rtcp;
  private final Streams rtpStreams = new Streams();
  private final Streams rtcpStreams = new Streams();

  private volatile long authFailures;
  private volatile long replays;
  private volatile long outOfWindow;

  /**
   * Derives the session keys of {@code keys} and makes the ciphers and buffers for them.
   *
   * @param keys the master key, salt and suite
   * @param maxPacket the longest protected packet (RTP or RTCP) to be taken
   */
  public SrtpUnprotector(SrtpKeys keys, int maxPacket) {
    this.suite = keys.suite();
    this.rtp = new SessionCrypto(keys, false, maxPacket);
    this.rtcp = new SessionCrypto(keys, true, maxPacket);
  }

  /**
   * The suite of the keys.
   *
   * @return the suite
   */
  public SrtpSuite suite() {
    return suite;
  }

  /**
   * Checks and decrypts the SRTP packet {@code packet[0, length)} in place.
   *
   * @param packet the buffer holding the packet
   * @param length the protected packet's length
   * @return the plain RTP packet's length, or {@link #AUTH_FAILED}, {@link #REPLAYED}, {@link
   *     #OUT_OF_WINDOW}, {@link #MALFORMED}
   */
  public int unprotectRtp(byte[] packet, int length) {
    int tagLength = suite.rtpTagLength();
    int plain = length - tagLength;
    int header = plain < 0 ? -1 : RtpHeaders.rtpHeaderLength(packet, plain);
    if (header < 0) {
      return MALFORMED;
    }
    long ssrc = RtpHeaders.word(packet, 8);
    int sequence = RtpHeaders.sequenceNumber(packet);
    ReplayWindow window = rtpStreams.find(ssrc);
    // A new SSRC starts at rollover counter 0 (§3.3.1).
    long index = window != null ? RtpHeaders.estimateIndex(window.highest(), sequence) : sequence;
    int verdict =
        index < 0
            ? ReplayWindow.TOO_OLD
            : window != null ? window.check(index) : ReplayWindow.FRESH;
    if (verdict != ReplayWindow.FRESH) {
      return refused(verdict);
    }
    if (!rtp.verify(packet, 0, plain, index >>> 16, tagLength, plain)) {
      return refused(-1);
    }
    (window != null ? window : rtpStreams.add(ssrc)).accept(index);
    rtp.crypt(ssrc, index, packet, header, plain - header);
    return plain;
  }

  /**
   * Checks and decrypts the SRTCP packet {@code packet[0, length)} in place (one sent without the E
   * flag is authenticated but left as it is, §3.4).
   *
   * @param packet the buffer holding the packet
   * @param length the protected packet's length
   * @return the plain compound packet's length, or a negative code as for {@link #unprotectRtp}
   */
  public int unprotectRtcp(byte[] packet, int length) {
    int signed = length - SrtpSuite.RTCP_TAG_LENGTH;
    int plain = signed - 4;
    if (plain < RtpHeaders.RTCP_CLEAR || (packet[0] & 0xC0) != 0x80) {
      return MALFORMED;
    }
    long word = RtpHeaders.word(packet, plain);
    boolean encrypted = (word & 0x8000_0000L) != 0;
    long index = word & 0x7FFF_FFFFL;
    long ssrc = RtpHeaders.word(packet, 4);
    ReplayWindow window = rtcpStreams.find(ssrc);
    int verdict = window != null ? window.check(index) : ReplayWindow.FRESH;
    if (verdict != ReplayWindow.FRESH) {
      return refused(verdict);
    }
    if (!rtcp.verify(packet, 0, signed, -1, SrtpSuite.RTCP_TAG_LENGTH, signed)) {
      return refused(-1);
    }
    (window != null ? window : rtcpStreams.add(ssrc)).accept(index);
    if (encrypted) {
      rtcp.crypt(ssrc, index, packet, RtpHeaders.RTCP_CLEAR, plain - RtpHeaders.RTCP_CLEAR);
    }
    return plain;
  }

  // Single writer (the receive thread), readers anywhere: volatile is for visibility, ++ cannot
  // race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private int refused(int verdict) {
    switch (verdict) {
      case ReplayWindow.REPLAYED -> {
        replays++;
        return REPLAYED;
      }
      case ReplayWindow.TOO_OLD -> {
        outOfWindow++;
        return OUT_OF_WINDOW;
      }
      default -> {
        authFailures++;
        return AUTH_FAILED;
      }
    }
  }

  /**
   * Packets (RTP and RTCP) whose tag did not match.
   *
   * @return the count so far
   */
  public long authFailures() {
    return authFailures;
  }

  /**
   * Packets (RTP and RTCP) whose index was authenticated before.
   *
   * @return the count so far
   */
  public long replays() {
    return replays;
  }

  /**
   * Packets (RTP and RTCP) too far behind the highest index to tell whether they are replays.
   *
   * @return the count so far
   */
  public long outOfWindow() {
    return outOfWindow;
  }

  /**
   * The replay windows of the last few SSRCs: a stream that restarts with a new SSRC gets its own,
   * the oldest is forgotten when more arrive. Only an authenticated packet adds one, so forged
   * packets with made-up SSRCs cannot push the real stream's window out. Allocates only then.
   */
  private static final class Streams {
    private final long[] ssrcs = new long[STREAMS];
    private final ReplayWindow[] windows = new ReplayWindow[STREAMS];
    private int next;

    /** The window of {@code ssrc}, or null when none of its packets was authenticated yet. */
    ReplayWindow find(long ssrc) {
      for (int i = 0; i < STREAMS; i++) {
        if (windows[i] != null && ssrcs[i] == ssrc) {
          return windows[i];
        }
      }
      return null;
    }

    ReplayWindow add(long ssrc) {
      int slot = next;
      next = (next + 1) % STREAMS;
      ssrcs[slot] = ssrc;
      windows[slot] = new ReplayWindow();
      return windows[slot];
    }
  }
}
