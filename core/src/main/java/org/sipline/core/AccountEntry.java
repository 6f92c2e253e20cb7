package org.sipline.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.SipAccount;

/** One account the line has registered (or is registering). Touched only by the line's actor. */
final class AccountEntry {
  final AccountSpec spec;
  SipAccount handle;

  /**
   * True while the registrar holds a binding we know of. Written only on the actor, but volatile:
   * {@link Line#isRegistered()} reads it from any thread (health checks, the lines service), and a
   * plain field would let that thread see a stale value indefinitely.
   */
  volatile boolean registered;

  /** Completes with the first REGISTER's verdict; null once it has. */
  CompletableFuture<LineStatus> firstRegistration;

  ScheduledFuture<?> registrationTimer;

  /** Completes when the un-REGISTER has been answered. */
  CompletableFuture<Void> unregistered;

  AccountEntry(AccountSpec spec) {
    this.spec = spec;
  }

  String name() {
    return spec.accountName();
  }
}
