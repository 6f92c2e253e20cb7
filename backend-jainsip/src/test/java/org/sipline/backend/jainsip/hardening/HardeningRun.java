package org.sipline.backend.jainsip.hardening;

import java.time.Duration;

/**
 * How hard the hardening tests push: the short form runs in every build, the long one with Maven's
 * {@code -Plong} (which sets the system property {@code sipline.long}).
 */
final class HardeningRun {
  private HardeningRun() {}

  static boolean isLong() {
    return Boolean.getBoolean("sipline.long");
  }

  /** {@code ci} in a normal build, {@code longRun} under {@code -Plong}. */
  static Duration duration(Duration ci, Duration longRun) {
    return isLong() ? longRun : ci;
  }

  static int count(int ci, int longRun) {
    return isLong() ? longRun : ci;
  }

  /** A figure the README quotes, printed so a run's output shows where it came from. */
  static void figure(String test, String name, Object value) {
    System.out.println("FIGURE " + test + " " + name + " = " + value);
  }
}
