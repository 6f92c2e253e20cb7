package org.sipline.core.spi;

import java.util.Map;
import java.util.Optional;

/** One registered (or registering) account in a backend. Methods never block on the network. */
public interface SipAccount {
  /**
   * The account as it was registered.
   *
   * @return the account's address, credentials and limits
   */
  AccountSpec spec();

  /**
   * Sends an INVITE to {@code target} with the extra {@code headers}, answering digest challenges
   * with the account's credentials. Progress arrives at the account's listener.
   *
   * @param target the callee's address
   * @param headers extra headers, checked by the core
   * @param media where the call's audio comes from and goes to
   * @return the call, before any response arrived
   */
  SipCall call(SipUri target, Map<String, String> headers, CallMedia media);

  /**
   * Removes the binding (REGISTER with Expires: 0) and stops refreshing it; {@code unregistered}
   * follows once the registrar answered or the bound passed. Calls of the account are not touched.
   */
  void unregister();

  /**
   * The binding the registrar granted last (the Contact registered), while it holds; empty before
   * the first 2xx, after the un-REGISTER, or when the backend cannot tell.
   *
   * @return the binding, while the registrar holds it
   */
  default Optional<BindingRecord> binding() {
    return Optional.empty();
  }
}
