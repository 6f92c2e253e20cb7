package org.sipline.backend.jainsip;

import org.sipline.testing.AbstractBackendConformanceTest;
import org.sipline.testing.ConformanceEnvironment;
import org.sipline.testing.peers.PeersConformanceEnvironment;

/** The core conformance suite (SPEC §2 through a Line) on the jainsip backend with real peers. */
class JainSipConformanceTest extends AbstractBackendConformanceTest {
  @Override
  protected ConformanceEnvironment createEnvironment() {
    return new PeersConformanceEnvironment(JainSipBackend::start);
  }
}
