package org.sipline.backend.jainsip;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;

/**
 * The set-up the baresip tests share, as pjsip's {@code PjsipTestLine}: a jainsip backend on
 * loopback that trusts 127.0.0.1 (so baresip on loopback may call in) and one line registered at a
 * {@link ScriptedSipPeer} that answers every request 200. The registration's event is taken off the
 * listener before the test starts, so its queue holds only the test's own events.
 */
final class JainSipTestLine implements AutoCloseable {
  final ScriptedSipPeer registrar;
  final JainSipBackend backend;
  final SipAccount account;

  private JainSipTestLine(ScriptedSipPeer registrar, JainSipBackend backend, SipAccount account) {
    this.registrar = registrar;
    this.backend = backend;
    this.account = account;
  }

  /**
   * A line {@code user}, registered, on a backend whose loopback configuration (trusting 127.0.0.1)
   * {@code config} adjusts; its events go to {@code events}.
   */
  static JainSipTestLine start(
      String user, UnaryOperator<BackendConfig.Builder> config, RecordingSipEventListener events)
      throws Exception {
    return start(user, config, events, () -> events.next(Registered.class));
  }

  /**
   * As {@link #start(String, UnaryOperator, RecordingSipEventListener)}, for a listener of another
   * kind, {@code registered} awaiting its registration event.
   */
  static JainSipTestLine start(
      String user,
      UnaryOperator<BackendConfig.Builder> config,
      SipEventListener events,
      Registration registered)
      throws Exception {
    ScriptedSipPeer registrar = new ScriptedSipPeer();
    JainSipBackend backend = null;
    try {
      registrar.answerEverything(200);
      backend =
          JainSipBackend.start(
              config
                  .apply(
                      BackendConfig.loopback()
                          .options(Map.of(BackendOptions.TRUSTED_SOURCES, "127.0.0.1")))
                  .build());
      SipAccount account =
          backend.register(
              new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "secret", user, null),
              events);
      registered.await();
      return new JainSipTestLine(registrar, backend, account);
    } catch (Exception | AssertionError e) {
      if (backend != null) {
        backend.close();
      }
      registrar.close();
      throw e;
    }
  }

  /** Waits for the line's registration event on the test's listener. */
  @FunctionalInterface
  interface Registration {
    void await() throws Exception;
  }

  @Override
  public void close() {
    backend.close();
    registrar.close();
  }
}
