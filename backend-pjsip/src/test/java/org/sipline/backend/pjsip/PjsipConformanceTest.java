package org.sipline.backend.pjsip;

import org.sipline.testing.AbstractBackendConformanceTest;
import org.sipline.testing.ConformanceEnvironment;
import org.sipline.testing.peers.PeersConformanceEnvironment;

/**
 * The core conformance suite (SPEC §2 through a Line) on the pjsip backend with real peers.
 * Skipped, with the reason printed once, where the native shim does not load.
 */
class PjsipConformanceTest extends AbstractBackendConformanceTest {
  @Override
  protected ConformanceEnvironment createEnvironment() {
    NativeShimAvailable.assume();
    return new PeersConformanceEnvironment(new PjsipBackendProvider()::create);
  }
}
