package org.sipline.core.spi;

import java.util.Objects;

/** The two ends of a call's audio that the core hands to the backend. */
public record CallMedia(AudioSource source, AudioSink sink) {
  public CallMedia {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
  }
}
