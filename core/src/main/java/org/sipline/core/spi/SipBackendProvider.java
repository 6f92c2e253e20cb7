package org.sipline.core.spi;

/**
 * Found with {@link java.util.ServiceLoader}. The constructor must be cheap and must not touch
 * native code or the network: loading every provider is how the core learns which exist. The real
 * work happens in {@link #create}.
 */
public interface SipBackendProvider {
  /** The name operators choose it by ("jainsip", "pjsip"). Lower case, stable. */
  String name();

  /** Higher wins when no name is configured. */
  int priority();

  /** Whether {@link #create} can work here; checked before it is called. */
  Availability availability();

  SipBackend create(BackendConfig config);
}
