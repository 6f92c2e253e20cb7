package org.sipline.core;

import org.sipline.core.testing.AbstractBackendConformanceTest;
import org.sipline.core.testing.ConformanceEnvironment;
import org.sipline.core.testing.FakeEnvironment;

/** The conformance suite against the in-memory backend: proves the suite and the line agree. */
class FakeBackendConformanceTest extends AbstractBackendConformanceTest {
  @Override
  protected ConformanceEnvironment createEnvironment() {
    return new FakeEnvironment();
  }
}
