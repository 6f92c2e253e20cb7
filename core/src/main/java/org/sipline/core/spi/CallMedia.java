package org.sipline.core.spi;

import java.util.Objects;

/**
 * The two ends of a call's audio that the core hands to the backend.
 *
 * @param source what the call sends: the core's outgoing audio
 * @param sink what the call receives: the caller's audio and digits
 */
public record CallMedia(AudioSource source, AudioSink sink) {
  /**
   * Checks that both directions are given.
   *
   * @param source what the call sends: the core's outgoing audio
   * @param sink what the call receives: the caller's audio and digits
   */
  public CallMedia {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
  }
}
