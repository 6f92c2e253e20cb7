package org.sipline.backend.jainsip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.MediaSession;
import org.sipline.backend.jainsip.media.srtp.SrtpKeys;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RTP as the signalling drives it: a port reserved for the SDP, started once offer and
 * answer agree, pointed elsewhere by a re-INVITE, closed at the end; over the media package's
 * {@link MediaSession}. Thread-safe; {@link #close} is idempotent and never waits on the network.
 *
 * <p>A hard hangup closes it from the API's thread while the SIP executor may be about to start it:
 * a start after close does nothing, so neither side has to know the order.
 */
final class RtpSession {
  private static final Logger log = LoggerFactory.getLogger(RtpSession.class);

  private final MediaSession media;
  private boolean closed;

  RtpSession(MediaSession media) {
    this.media = media;
  }

  int localPort() {
    return media.localPort();
  }

  /** Starts sending {@code media.source()} and delivering to {@code media.sink()}. */
  synchronized void start(MediaPlan plan, SrtpKeys send, CallMedia callMedia, String callId) {
    if (closed) {
      return;
    }
    media.srtp(send, plan.receiveKeys());
    if (plan.codec() == Codec.OPUS) {
      for (String problem : plan.opus().problems()) {
        log.warn("Call-ID {}: the far end's Opus fmtp {}; Opus's default used", callId, problem);
      }
      media.opus(plan.opus());
    }
    int telephoneEvent =
        plan.telephoneEvent() >= 0 ? plan.telephoneEvent() : MediaSession.NO_TELEPHONE_EVENT;
    media.start(plan.remote(), plan.codec(), plan.payloadType(), telephoneEvent, callMedia, callId);
  }

  /** SRTP keys of a re-INVITE's SDP both ways (nulls: plain RTP from now on). */
  synchronized void updateSrtp(SrtpKeys send, SrtpKeys receive) {
    if (!closed) {
      media.srtp(send, receive);
    }
  }

  /** The peer's new address from a re-INVITE (null: latch onto the first source). */
  synchronized void updateRemote(InetSocketAddress remote) {
    if (!closed) {
      media.updateRemote(remote);
    }
  }

  /**
   * The telephone-event payload type of a re-INVITE's SDP, or {@link MediaPlan#NO_TELEPHONE_EVENT}
   * when it has none: events are received and sent with it from now on.
   */
  synchronized void updateTelephoneEvent(int payloadType) {
    if (!closed) {
      media.updateTelephoneEvent(payloadType >= 0 ? payloadType : MediaSession.NO_TELEPHONE_EVENT);
    }
  }

  /** The codec of a new SDP (0 PCMU, 8 PCMA): sent and received from now on. */
  synchronized void updateCodec(int payloadType) {
    updateCodec(Codec.forPayloadType(payloadType), payloadType);
  }

  /** The codec of a new SDP and its payload type there: sent and received from now on. */
  synchronized void updateCodec(Codec codec, int payloadType) {
    if (!closed) {
      media.updateCodec(codec, payloadType);
    }
  }

  /** Sends RTP, or stops while the peer holds the call; receiving goes on either way. */
  synchronized void updateSending(boolean on) {
    if (!closed) {
      media.updateSending(on);
    }
  }

  /**
   * Sends a DTMF digit as RFC 4733 events in the call's RTP stream; the future completes on the
   * media's pacer thread (hand over before doing real work) once its end packets went out.
   *
   * @throws IllegalStateException unless started with a telephone-event payload type, or when
   *     closed
   */
  synchronized CompletableFuture<Void> sendDtmf(char digit, int durationMillis) {
    if (closed) {
      throw new IllegalStateException("the call's RTP is closed");
    }
    return media.sendDtmf(digit, durationMillis);
  }

  /** The RTP and RTCP figures so far; after {@link #close} the final ones. */
  RtpStatistics statistics() {
    return media.rtpStatistics();
  }

  /** How long no RTP came from the peer (since start when none came yet). */
  Duration silence() {
    // The engine runs on MediaClock.system(), which is System.nanoTime().
    return Duration.ofNanos(Math.max(0, System.nanoTime() - media.stats().lastPacketNanos()));
  }

  synchronized void close() {
    closed = true;
    media.close();
  }
}
