package org.sipline.backend.jainsip;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.sipline.core.spi.CallMedia;

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

  /** How long no RTP came from the peer (since start when none came yet). */
  Duration silence();

  void close();
}
