package org.sipline.backend.jainsip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;

/**
 * One call's RTP as the signalling drives it: a port reserved for the SDP, started once offer and
 * answer agree, pointed elsewhere by a re-INVITE, closed at the end. Implemented over the media
 * package's {@code MediaSession}. Thread-safe; {@link #close} is idempotent and never waits on the
 * network.
 */
interface RtpSession {
  int localPort();

  /** Starts sending {@code media.source()} and delivering to {@code media.sink()}. */
  void start(MediaPlan plan, CallMedia media, String callId);

  /** The peer's new address from a re-INVITE (null: latch onto the first source). */
  void updateRemote(InetSocketAddress remote);

  /**
   * The telephone-event payload type of a re-INVITE's SDP, or {@link MediaPlan#NO_TELEPHONE_EVENT}
   * when it has none: events are received and sent with it from now on.
   */
  void updateTelephoneEvent(int payloadType);

  /** The codec of a new SDP (0 PCMU, 8 PCMA): sent and received from now on. */
  void updateCodec(int payloadType);

  /** Sends RTP, or stops while the peer holds the call; receiving goes on either way. */
  void updateSending(boolean on);

  /**
   * Sends a DTMF digit as RFC 4733 events in the call's RTP stream; the future completes on the
   * media's pacer thread (hand over before doing real work) once its end packets went out.
   *
   * @throws IllegalStateException unless started with a telephone-event payload type, or when
   *     closed
   */
  CompletableFuture<Void> sendDtmf(char digit, int durationMillis);

  /** The RTP and RTCP figures so far; after {@link #close} the final ones. */
  RtpStatistics statistics();

  /** How long no RTP came from the peer (since start when none came yet). */
  Duration silence();

  void close();
}
