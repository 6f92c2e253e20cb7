package org.sipline.backend.jainsip;

import java.util.List;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;

/**
 * The default backend, "jainsip": JAIN-SIP RI signalling and a pure-Java RTP/G.711 media path.
 * Needs nothing native, so it is available everywhere. Its options are listed in the package
 * documentation.
 */
public final class JainSipBackendProvider implements SipBackendProvider {
  static final String NAME = "jainsip";

  /** Cheap: ServiceLoader instantiates every provider to learn which exist. */
  public JainSipBackendProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public List<BackendOption> options() {
    return BackendOptions.DECLARED;
  }

  @Override
  public SipBackend create(BackendConfig config) {
    return JainSipBackend.start(config);
  }
}
