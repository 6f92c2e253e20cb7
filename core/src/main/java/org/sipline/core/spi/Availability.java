package org.sipline.core.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and if not, why not in words an operator can act on.
 *
 * @param available whether the backend can run here
 * @param reason why not, in words; "available" when it can
 */
public record Availability(boolean available, String reason) {
  /**
   * Checks that a reason is given, also when available (it is then the word "available").
   *
   * @param available whether the backend can run here
   * @param reason why not, in words; "available" when it can
   */
  public Availability {
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * The backend can run here.
   *
   * @return an availability that says so
   */
  public static Availability yes() {
    return new Availability(true, "available");
  }

  /**
   * The backend cannot run here.
   *
   * @param reason why not, and what would make it available
   * @return an availability that names the reason
   */
  public static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
