package org.sipline.core;

import java.time.Duration;
import org.sipline.core.spi.BackendConfig;

/**
 * The line's own bounds, one rule for every way a line is made (the server, an embedder, a test):
 * each sits above the backend bound it covers, so the backend's verdict — which carries the SIP
 * response, e.g. the registrar's 403 — reaches the line before the line gives up on its own and
 * reports a bare timeout. A wait the {@link LineConfig} leaves unset is derived from the backend's;
 * one it sets must be longer than the backend's, or the line refuses to open.
 *
 * @param register how long a REGISTER's verdict is awaited (above the backend's register timeout)
 * @param hangup how long a soft hangup may take (above the BYE transaction's bound)
 * @param callSetup how long a call may stay unconnected (above the INVITE transaction's bound)
 * @param transfer how long a transfer may go without an outcome (above the wait for its NOTIFY)
 */
record LineWaits(Duration register, Duration hangup, Duration callSetup, Duration transfer) {
  /** A REGISTER's answer may be challenged and re-sent once more: a few seconds on top. */
  static final Duration REGISTER_MARGIN = Duration.ofSeconds(5);

  /** BYE's transaction bound, then the backend's own teardown. */
  static final Duration HANGUP_MARGIN = Duration.ofSeconds(3);

  /** The far end's NOTIFY with the transfer's outcome may trail the backend's bound by a while. */
  static final Duration TRANSFER_MARGIN = Duration.ofSeconds(15);

  /** Ringing is not bounded by the transaction alone: callers let a phone ring for minutes. */
  static final Duration MIN_CALL_SETUP = Duration.ofMinutes(3);

  static LineWaits of(LineConfig line, BackendConfig backend) {
    return new LineWaits(
        wait(
            "registerWait",
            line.registerWait(),
            "registerTimeout",
            backend.registerTimeout(),
            backend.registerTimeout().plus(REGISTER_MARGIN)),
        wait(
            "hangupWait",
            line.hangupWait(),
            "transactionTimeout",
            backend.transactionTimeout(),
            backend.transactionTimeout().plus(HANGUP_MARGIN)),
        wait(
            "callSetupWait",
            line.callSetupWait(),
            "transactionTimeout",
            backend.transactionTimeout(),
            max(MIN_CALL_SETUP, backend.transactionTimeout().plus(REGISTER_MARGIN))),
        wait(
            "transferWait",
            line.transferWait(),
            "transferTimeout",
            backend.transferTimeout(),
            backend.transferTimeout().plus(TRANSFER_MARGIN)));
  }

  private static Duration wait(
      String name, Duration given, String backendName, Duration backendBound, Duration derived) {
    if (given == null) {
      return derived;
    }
    if (given.compareTo(backendBound) <= 0) {
      throw new IllegalArgumentException(
          name
              + " "
              + given
              + " is not longer than the backend's "
              + backendName
              + " "
              + backendBound
              + ": the line would give up before the backend's answer could reach it; leave "
              + name
              + " unset to derive it ("
              + derived
              + ") or make it longer");
    }
    return given;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
