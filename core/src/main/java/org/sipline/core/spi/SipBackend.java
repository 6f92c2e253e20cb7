package org.sipline.core.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A SIP stack with its media path, serving every line of the JVM. Created by a {@link
 * SipBackendProvider}; closed once, which ends every call and registration without waiting on the
 * network beyond a bound.
 */
public interface SipBackend extends AutoCloseable {
  /**
   * The provider's name, e.g. "jainsip".
   *
   * @return the name
   */
  String name();

  /**
   * The configuration this backend was created with. A line derives its own waits from the bounds
   * in it (register, transaction and transfer timeouts), so the backend's verdict always reaches
   * the line before the line gives up.
   *
   * @return the configuration
   */
  BackendConfig config();

  /**
   * Starts registering {@code account} (REGISTER with digest auth, refreshed before expiry). Events
   * for the account and its calls, including incoming calls, go to {@code listener}.
   *
   * @throws IllegalStateException when the account is already registered with this backend
   * @param account the account to register
   * @param listener who hears the account's events
   * @return the registered account, a handle to call and un-register with
   */
  SipAccount register(AccountSpec account, SipEventListener listener);

  /**
   * From now on the first REGISTER of each account registered here leaves at most {@code perSecond}
   * per second: each at least {@code 1 / perSecond} seconds after the previous first REGISTER was
   * put on the wire, kept at the point of sending, so that no window of one second holds more than
   * {@code perSecond} of them however the threads before the send bunch them (SPEC §7, {@code
   * --register-rate}). A REGISTER waiting for its turn is not yet under the register timeout; an
   * account un-registered before its turn sends nothing. Digest rounds, refreshes and retries are
   * not paced. The core calls this once, before registering anything.
   *
   * <p>The default does nothing, which is right for a backend whose {@link #register} puts the
   * REGISTER on the wire before it returns: the core spaces those calls at the same rate, measured
   * from when each returned.
   *
   * @param perSecond first REGISTERs per second, above 0 and finite
   */
  default void paceFirstRegisters(double perSecond) {}

  /**
   * From now on, an out-of-dialog OPTIONS to the backend's SIP address is answered with what {@code
   * capacity} says at that moment (200, 486 or 503), so that a proxy probing the process learns
   * whether it can take calls. The supplier is cheap and never blocks. A backend whose stack
   * answers OPTIONS on its own keeps doing so and ignores this.
   *
   * @param capacity what to answer, asked per OPTIONS
   */
  default void answerOptionsWith(Supplier<Capacity> capacity) {}

  /**
   * Ends a dialog a previous process left behind (it died before it could hang up): one BYE built
   * from {@code dialog} alone — Request-URI the remote target, Route the route set, From with our
   * tag, To with the far end's, CSeq {@code nextCseq} — sent in a new client transaction to the
   * dialog's first hop and nowhere else. A challenge is not answered (the record holds no
   * credentials). The core checks the record before it gets here; the backend checks that it can
   * put it on the wire and completes exceptionally, naming the field, when it cannot.
   *
   * @return completes with the BYE's final response, or {@link FinalResponse#none} when none came
   *     within the backend's transaction timeout
   * @param dialog the journaled dialog
   */
  default CompletableFuture<FinalResponse> endOrphanedDialog(DialogRecord dialog) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            "the " + name() + " backend cannot end a dialog of a previous process"));
  }

  /**
   * Removes a binding a previous process left at a registrar: REGISTER to the AOR's domain (through
   * the outbound proxy when the record names one) with {@code binding}'s Contact and Expires: 0.
   * With {@code credentials} (an account registered again with the same AOR) a digest challenge is
   * answered with them; without, the challenge is the outcome.
   *
   * @param credentials the account whose password answers a challenge, or null
   * @return completes with the REGISTER's final response, or {@link FinalResponse#none}
   * @param binding the journaled binding
   */
  default CompletableFuture<FinalResponse> removeBinding(
      BindingRecord binding, AccountSpec credentials) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            "the " + name() + " backend cannot remove a binding of a previous process"));
  }

  @Override
  void close();
}
