package org.sipline.core.spi;

import java.util.function.Supplier;

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

  /**
   * From now on, an out-of-dialog OPTIONS to the backend's SIP address is answered with what {@code
   * capacity} says at that moment (200, 486 or 503), so that a proxy probing the process learns
   * whether it can take calls. The supplier is cheap and never blocks. A backend whose stack
   * answers OPTIONS on its own keeps doing so and ignores this.
   */
  default void answerOptionsWith(Supplier<Capacity> capacity) {}

  @Override
  void close();
}
