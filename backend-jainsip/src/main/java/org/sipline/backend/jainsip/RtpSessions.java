package org.sipline.backend.jainsip;

import java.io.IOException;
import java.net.InetAddress;
import org.sipline.backend.jainsip.media.MediaEngine;
import org.sipline.backend.jainsip.media.MediaEngineOptions;
import org.sipline.core.spi.BackendConfig;

/**
 * Where calls get their {@link RtpSession}s: the media package's engine, one pacer, receive thread
 * and RTCP timer per backend. Closing it ends every session and the media threads.
 */
final class RtpSessions implements AutoCloseable {
  private final MediaEngine engine;

  private RtpSessions(MediaEngine engine) {
    this.engine = engine;
  }

  /**
   * Starts the engine on {@code config}'s bind address, RTP ports and recordings folder, its pacer
   * asking for SCHED_FIFO at {@code pacerRealtime} (or not, when off).
   */
  static RtpSessions start(BackendConfig config, int pacerRealtime) throws IOException {
    MediaEngine engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getByName(config.bindAddress()))
                .withRtpPorts(config.rtpPortMin(), config.rtpPortMax())
                .withRecordingsDir(config.recordingsDir())
                .withPacerRealtime(pacerRealtime));
    engine.observePacing(config.observer()::paced);
    return new RtpSessions(engine);
  }

  /** Reserves a port for a call's RTP. */
  RtpSession allocate() throws IOException {
    return new RtpSession(engine.allocate());
  }

  /** Ends every session and the media threads. */
  @Override
  public void close() {
    engine.close();
  }
}
