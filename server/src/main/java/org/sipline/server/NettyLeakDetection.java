package org.sipline.server;

import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;

/**
 * Netty's buffer-leak detection, off in the server unless the operator asks for it.
 *
 * <p>Why: with detection on (Netty's default samples one buffer in 128), every message on every
 * HTTP/2 stream also passes through the channel pipeline's {@code touch} of it, and a WatchStatus
 * fan-out writes one message per watcher: 6 % of the server's samples in the profile of 1000
 * watchers (issue 13, BENCHMARKS.md §8). Leaks it would report are gRPC's or Netty's, not ours (the
 * server hands gRPC messages, never buffers). The system property {@value #PROPERTY} (or Netty's
 * older {@value #OLD_PROPERTY}) still sets any level, e.g. {@code paranoid} to hunt a leak.
 */
final class NettyLeakDetection {
  /** gRPC's shaded Netty reads its leak-detection level from this property. */
  static final String PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  /** The property's older name, which Netty still honours. */
  static final String OLD_PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetectionLevel";

  private NettyLeakDetection() {}

  /**
   * Turns detection off unless a level was asked for; before the server's first channel, whose
   * pipeline decides at its creation whether to touch messages.
   */
  static void offUnlessAsked() {
    if (System.getProperty(PROPERTY) == null && System.getProperty(OLD_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
