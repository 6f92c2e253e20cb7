package org.sipline.testing;

import java.util.List;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;

/**
 * The in-memory backend, findable by name "fake" so that the server and selection tests can run
 * without a network. Lowest priority: it is never picked unless asked for by name.
 */
public final class FakeBackendProvider implements SipBackendProvider {
  @Override
  public String name() {
    return "fake";
  }

  @Override
  public int priority() {
    return Integer.MIN_VALUE;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  /** None: the fake has nothing to set. */
  @Override
  public List<BackendOption> options() {
    return List.of();
  }

  @Override
  public SipBackend create(BackendConfig config) {
    return new FakeBackend();
  }
}
