package org.sipline.backend.pjsip;

import java.util.List;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.BackendOptionCheck;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;

/**
 * The "pjsip" backend: PJSIP's pjsua through sipline's C shim. Available where libsiplinepj (built
 * against an installed pjproject) loads; elsewhere it says why. Ranked below jainsip so it is used
 * only when chosen by name or when it is the only one available.
 */
public final class PjsipBackendProvider implements SipBackendProvider {
  static final String NAME = "pjsip";
  static final int PRIORITY = 50;

  private final ShimLoader loader;

  /** Cheap: nothing native is touched until {@link #availability()} or {@link #create}. */
  public PjsipBackendProvider() {
    this(ShimLoader.forConfiguredLibrary());
  }

  PjsipBackendProvider(ShimLoader loader) {
    this.loader = loader;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public Availability availability() {
    return loader.availability();
  }

  @Override
  public List<BackendOption> options() {
    return PjsipBackend.OPTIONS;
  }

  @Override
  public SipBackend create(BackendConfig config) {
    // Before the shim: a wrong option is reported as such even where pjsip cannot load.
    BackendOptionCheck.check(NAME, options(), config.options());
    return PjsipBackend.start(loader.shim(), config);
  }
}
