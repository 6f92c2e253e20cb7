package org.sipline.backend.jainsip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.MediaClock;
import org.sipline.backend.jainsip.media.MediaEngine;
import org.sipline.backend.jainsip.media.MediaSession;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;

/** The calls' RTP over the media package's engine (one pacer and receive thread per backend). */
final class MediaEngineSessions implements RtpSessions {
  private final MediaEngine engine;

  private MediaEngineSessions(MediaEngine engine) {
    this.engine = engine;
  }

  /**
   * Starts the engine on {@code config}'s bind address, RTP ports and recordings folder, its pacer
   * asking for SCHED_FIFO at {@code pacerRealtime} (or not, when off).
   */
  static MediaEngineSessions start(BackendConfig config, int pacerRealtime) throws IOException {
    MediaEngine engine =
        MediaEngine.start(
            InetAddress.getByName(config.bindAddress()),
            config.rtpPortMin(),
            config.rtpPortMax(),
            config.recordingsDir(),
            MediaClock.system(),
            pacerRealtime);
    engine.observePacing(config.observer()::paced);
    return new MediaEngineSessions(engine);
  }

  @Override
  public RtpSession allocate() throws IOException {
    return new Session(engine.allocate());
  }

  @Override
  public void close() {
    engine.close();
  }

  /**
   * A call's session. A hard hangup closes it from the API's thread while the SIP executor may be
   * about to start it: a start after close does nothing, so neither side has to know the order.
   */
  private static final class Session implements RtpSession {
    private final MediaSession media;
    private boolean closed;

    Session(MediaSession media) {
      this.media = media;
    }

    @Override
    public int localPort() {
      return media.localPort();
    }

    @Override
    public synchronized void start(MediaPlan plan, CallMedia callMedia, String callId) {
      if (closed) {
        return;
      }
      int telephoneEvent =
          plan.telephoneEvent() >= 0 ? plan.telephoneEvent() : MediaSession.NO_TELEPHONE_EVENT;
      media.start(
          plan.remote(),
          Codec.forPayloadType(plan.payloadType()),
          telephoneEvent,
          callMedia,
          callId);
    }

    @Override
    public synchronized void updateRemote(InetSocketAddress remote) {
      if (!closed) {
        media.updateRemote(remote);
      }
    }

    @Override
    public synchronized void updateTelephoneEvent(int payloadType) {
      if (!closed) {
        media.updateTelephoneEvent(
            payloadType >= 0 ? payloadType : MediaSession.NO_TELEPHONE_EVENT);
      }
    }

    @Override
    public synchronized void updateCodec(int payloadType) {
      if (!closed) {
        media.updateCodec(Codec.forPayloadType(payloadType));
      }
    }

    @Override
    public synchronized void updateSending(boolean on) {
      if (!closed) {
        media.updateSending(on);
      }
    }

    @Override
    public synchronized CompletableFuture<Void> sendDtmf(char digit, int durationMillis) {
      if (closed) {
        throw new IllegalStateException("the call's RTP is closed");
      }
      return media.sendDtmf(digit, durationMillis);
    }

    @Override
    public RtpStatistics statistics() {
      return media.rtpStatistics();
    }

    @Override
    public Duration silence() {
      // The engine runs on MediaClock.system(), which is System.nanoTime().
      return Duration.ofNanos(Math.max(0, System.nanoTime() - media.stats().lastPacketNanos()));
    }

    @Override
    public synchronized void close() {
      closed = true;
      media.close();
    }
  }
}
