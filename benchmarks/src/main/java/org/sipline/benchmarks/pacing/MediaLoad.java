package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sipline.backend.jainsip.media.Codec;
import org.sipline.backend.jainsip.media.MediaClock;
import org.sipline.backend.jainsip.media.MediaEngine;
import org.sipline.backend.jainsip.media.MediaEngineOptions;
import org.sipline.backend.jainsip.media.MediaSession;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.CallMedia;

/**
 * The load at the media level: one jainsip {@link MediaEngine} (its one pacer, its one receive
 * thread) and one {@link MediaSession} per call sending PCMU to the sink, without SIP and without
 * the core's line. It isolates what the RTP path costs from what signalling and the line add.
 */
final class MediaLoad implements Load {
  private final MediaEngine engine;
  private final InetSocketAddress sink;
  private final short[] clip;
  private final AtomicBoolean playing = new AtomicBoolean();
  private final List<MediaSession> sessions = new ArrayList<>();

  private MediaLoad(MediaEngine engine, InetSocketAddress sink, short[] clip) {
    this.engine = engine;
    this.sink = sink;
    this.clip = clip;
  }

  /**
   * @param clock the pacer's clock: the system's (park, then spin) or {@link SpinClock}
   * @param pacerRealtime the pacer's SCHED_FIFO priority, or {@link MediaEngine#PACER_REALTIME_OFF}
   */
  static MediaLoad start(int sinkPort, short[] clip, MediaClock clock, int pacerRealtime)
      throws IOException {
    MediaEngine engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withClock(clock)
                .withPacerRealtime(pacerRealtime));
    return new MediaLoad(engine, new InetSocketAddress("127.0.0.1", sinkPort), clip);
  }

  @Override
  public int connect(int calls) throws IOException {
    for (int i = 0; i < calls; i++) {
      MediaSession s = engine.allocate();
      sessions.add(s);
      s.start(
          sink,
          Codec.PCMU,
          new CallMedia(new ClipLoop(clip, playing), AudioSink.DISCARD),
          "media-load-" + i);
    }
    return sessions.size();
  }

  @Override
  public void play() {
    playing.set(true);
  }

  @Override
  public void close() {
    engine.close();
  }
}
