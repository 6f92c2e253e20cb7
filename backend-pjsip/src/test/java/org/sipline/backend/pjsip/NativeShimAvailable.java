package org.sipline.backend.pjsip;

import org.junit.jupiter.api.Assumptions;
import org.sipline.core.spi.Availability;

/**
 * Gate for tests that need libsiplinepj and pjproject. Where they can't load, the tests are skipped
 * (never passed) and the reason is printed once, visibly, for the whole run.
 */
final class NativeShimAvailable {
  private static Availability availability;

  private NativeShimAvailable() {}

  static synchronized void assume() {
    if (availability == null) {
      availability = ShimLoader.forConfiguredLibrary().availability();
      if (!availability.available()) {
        System.err.println("[sipline] pjsip backend tests skipped: " + availability.reason());
      }
    }
    Assumptions.assumeTrue(
        availability.available(), "pjsip backend unavailable: " + availability.reason());
  }

  /** As {@link #assume}, and the pjproject loaded has SRTP (built with libsrtp). */
  static void assumeSrtp() {
    assume();
    boolean srtp = ShimLoader.forConfiguredLibrary().shim().slpj_srtp_available() == 1;
    if (!srtp) {
      System.err.println("[sipline] pjsip SRTP tests skipped: pjproject built without libsrtp");
    }
    Assumptions.assumeTrue(srtp, "the pjproject loaded was built without SRTP (libsrtp)");
  }

  /** As {@link #assume}, and the pjproject loaded has the codec (opus, g722) built in. */
  static void assumeCodec(String name) {
    assume();
    Availability codec =
        PjsipBackend.codecAvailability(ShimLoader.forConfiguredLibrary().shim(), name);
    if (!codec.available()) {
      System.err.println("[sipline] pjsip " + name + " tests skipped: " + codec.reason());
    }
    Assumptions.assumeTrue(codec.available(), codec.reason());
  }
}
