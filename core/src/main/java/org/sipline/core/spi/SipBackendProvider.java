package org.sipline.core.spi;

import java.util.List;

/**
 * Found with {@link java.util.ServiceLoader}. The constructor must be cheap and must not touch
 * native code or the network: loading every provider is how the core learns which exist. The real
 * work happens in {@link #create}.
 */
public interface SipBackendProvider {
  /**
   * The name operators choose it by ("jainsip", "pjsip"). Lower case, stable.
   *
   * @return the backend's name
   */
  String name();

  /**
   * Higher wins when no name is configured.
   *
   * @return the priority; the default backend has the highest
   */
  int priority();

  /**
   * Whether {@link #create} can work here; checked before it is called.
   *
   * @return whether the backend can run, and why not when it cannot
   */
  Availability availability();

  /**
   * Every option the backend accepts in {@link BackendConfig#options()}, with its kind and range;
   * empty when it takes none. Must be as cheap as the constructor: it is read to check a
   * configuration before {@link #create} and to list the valid options when one is wrong.
   *
   * @return the declared options
   */
  List<BackendOption> options();

  /**
   * Starts the backend. Callers go through {@link org.sipline.core.backends.Backends#start}, which
   * first holds {@code config}'s options to {@link #options()}.
   *
   * @param config the configuration, its values checked
   * @return the running backend; the caller closes it
   */
  SipBackend create(BackendConfig config);
}
