package org.sipline.core.spi;

/**
 * A SIP stack with its media path, serving every line of the JVM. Created by a {@link
 * SipBackendProvider}; closed once, which ends every call and registration without waiting on the
 * network beyond a bound.
 */
public interface SipBackend extends AutoCloseable {
  /** The provider's name, e.g. "jainsip". */
  String name();

  /**
   * The configuration this backend was created with. A line derives its own waits from the bounds
   * in it (register, transaction and transfer timeouts), so the backend's verdict always reaches
   * the line before the line gives up.
   */
  BackendConfig config();

  /**
   * Starts registering {@code account} (REGISTER with digest auth, refreshed before expiry). Events
   * for the account and its calls, including incoming calls, go to {@code listener}.
   *
   * @throws IllegalStateException when the account is already registered with this backend
   */
  SipAccount register(AccountSpec account, SipEventListener listener);

  @Override
  void close();
}
