package org.sipline.core;

import org.sipline.testing.AbstractBackendConformanceTest;
import org.sipline.testing.ConformanceEnvironment;
import org.sipline.testing.FakeEnvironment;

/** The conformance suite against the in-memory backend: proves the suite and the line agree. */
class FakeBackendConformanceTest extends AbstractBackendConformanceTest {
  @Override
  protected ConformanceEnvironment createEnvironment() {
    return new FakeEnvironment();
  }
}
