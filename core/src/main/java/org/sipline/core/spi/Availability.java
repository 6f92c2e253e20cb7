package org.sipline.core.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and if not, why not in words an operator can act on.
 */
public record Availability(boolean available, String reason) {
  public Availability {
    Objects.requireNonNull(reason, "reason");
  }

  public static Availability yes() {
    return new Availability(true, "available");
  }

  public static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
