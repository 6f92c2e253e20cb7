package org.sipline.backend.pjsip;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Shim handles → Java objects. A handle is registered under this object's monitor in the same step
 * as the native call that created it, and the event thread looks handles up under the same monitor,
 * so an event can never arrive for a handle Java has not recorded yet.
 */
final class Handles {
  private final Map<Integer, PjsipAccount> accounts = new HashMap<>();
  private final Map<String, PjsipAccount> accountsByName = new HashMap<>();
  private final Map<Integer, PjsipCall> calls = new HashMap<>();

  /** Calls whose audio the pump serves; read 50 times a second, changed once per call. */
  private final List<PjsipCall> mediaCalls = new CopyOnWriteArrayList<>();

  synchronized PjsipAccount account(int handle) {
    return accounts.get(handle);
  }

  synchronized PjsipAccount accountNamed(String accountName) {
    return accountsByName.get(accountName);
  }

  /** Runs {@code create} (a native call returning the new handle) and records its result. */
  synchronized PjsipAccount addAccount(
      String accountName, IntFunction<PjsipAccount> wrap, IntSupplier create) {
    int handle = create.getAsInt();
    PjsipAccount account = wrap.apply(handle);
    accounts.put(handle, account);
    accountsByName.put(accountName, account);
    return account;
  }

  synchronized void removeAccount(PjsipAccount account) {
    accounts.remove(account.handle());
    accountsByName.remove(account.spec().accountName(), account);
  }

  synchronized List<PjsipAccount> accounts() {
    return List.copyOf(accounts.values());
  }

  synchronized PjsipCall call(int handle) {
    return calls.get(handle);
  }

  /** Every call with a handle, for periodic checks. */
  synchronized List<PjsipCall> calls() {
    return List.copyOf(calls.values());
  }

  /** Runs {@code create} (a native call returning the new call) and records it. */
  synchronized PjsipCall addCall(Supplier<PjsipCall> create) {
    PjsipCall call = create.get();
    calls.put(call.handle(), call);
    if (call.media() != null) {
      mediaCalls.add(call);
    }
    return call;
  }

  void mediaStarted(PjsipCall call) {
    if (!mediaCalls.contains(call)) {
      mediaCalls.add(call);
    }
  }

  synchronized void removeCall(PjsipCall call) {
    calls.remove(call.handle());
    mediaCalls.remove(call);
  }

  List<PjsipCall> mediaCalls() {
    return mediaCalls;
  }
}
