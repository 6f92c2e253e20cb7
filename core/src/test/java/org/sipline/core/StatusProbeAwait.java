package org.sipline.core;

import java.util.function.BooleanSupplier;
import org.sipline.testing.StatusProbe;

/** Short form of a bounded condition wait for this package's tests. */
final class StatusProbeAwait {
  private StatusProbeAwait() {}

  static void until(BooleanSupplier condition) {
    StatusProbe.awaitTrue(condition, "reached", LineHarness.PATIENCE);
  }
}
