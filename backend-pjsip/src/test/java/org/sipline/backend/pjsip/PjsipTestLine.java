package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipUri;

/**
 * The set-up most pjsip tests share: a pjsip backend on loopback and one account, {@code alice},
 * whose registrar is a socket that never answers. Calls need no registrar; the REGISTER fails after
 * a short bound and that event is taken off the listener's queue before the test starts, so the
 * queue holds only the test's own events. The registrar's host (127.0.0.1) is trusted, so SIPp and
 * baresip on loopback may call in. Skips (as every native test) where the shim does not load.
 */
final class PjsipTestLine implements AutoCloseable {
  static final Duration BOUND = Duration.ofSeconds(10);

  final DatagramSocket silentRegistrar;
  final PjsipBackend backend;
  final RecordingListener listener = new RecordingListener();
  final SipAccount account;

  private PjsipTestLine(DatagramSocket silentRegistrar, PjsipBackend backend, String user)
      throws InterruptedException {
    this.silentRegistrar = silentRegistrar;
    this.backend = backend;
    this.account =
        backend.register(
            new AccountSpec(
                SipUri.of(user, "127.0.0.1", silentRegistrar.getLocalPort()), "pw", user, null),
            listener);
    assertThat(listener.next(BOUND)).startsWith("registrationFailed");
  }

  /** A line {@code alice} on a backend with the loopback configuration. */
  static PjsipTestLine start() throws Exception {
    return start("alice", b -> b);
  }

  /**
   * A line {@code user} on a backend whose loopback configuration {@code config} adjusts (the
   * REGISTER bound is set to 300 ms first).
   */
  static PjsipTestLine start(String user, UnaryOperator<BackendConfig.Builder> config)
      throws Exception {
    NativeShimAvailable.assume();
    DatagramSocket registrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    PjsipBackend backend = null;
    try {
      backend =
          (PjsipBackend)
              new PjsipBackendProvider()
                  .create(
                      config
                          .apply(BackendConfig.loopback().registerTimeout(Duration.ofMillis(300)))
                          .build());
      return new PjsipTestLine(registrar, backend, user);
    } catch (Exception | AssertionError e) {
      if (backend != null) {
        backend.close();
      }
      registrar.close();
      throw e;
    }
  }

  @Override
  public void close() {
    backend.close();
    silentRegistrar.close();
  }
}
