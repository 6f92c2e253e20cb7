package org.sipline.backend.pjsip;

/** Where an account's binding is, as its events said. */
enum AccountState {
  /** The first REGISTER is on its way. */
  REGISTERING,
  /** The registrar answered 2xx (first time or refresh). */
  REGISTERED,
  /**
   * A refresh failed: the binding may be gone, and the REGISTER is sent again after core's {@code
   * RegistrationTiming} backoff until it succeeds (pjsua itself would give up, as jainsip does
   * not).
   */
  RETRYING,
  /** The first REGISTER failed; pjsua does not retry (the core decides). */
  FAILED,
  /** unregister() was called; the un-REGISTER may still be in flight. */
  UNREGISTERED;

  /** Whether a new registration of the same address may replace this one. */
  boolean replaceable() {
    return this == FAILED || this == UNREGISTERED;
  }
}
