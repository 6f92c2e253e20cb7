package org.sipline.backend.pjsip;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.spi.BackendConfig;

/**
 * The process {@link PjsipGhostCallTest} kills: a pjsip backend under a line with a journal
 * registers an account, calls the callee, says {@code CONNECTED} on stdout once the call is, and
 * then waits to be killed with SIGKILL (no BYE, no un-REGISTER, nothing written at exit).
 *
 * <p>Arguments: journal, account, password, callee.
 */
final class GhostCallChild {
  private GhostCallChild() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Exception | AssertionError e) {
      // pjsua's threads would keep the JVM alive: the parent must see this one end.
      System.out.println("FAILED " + e);
      System.exit(4);
    }
  }

  private static void run(String[] args) throws Exception {
    Path journal = Path.of(args[0]);
    String account = args[1];
    String password = args[2];
    String callee = args[3];
    PjsipBackend backend =
        (PjsipBackend) new PjsipBackendProvider().create(BackendConfig.loopback().build());
    Line line = Line.open(backend, LineConfig.builder().journal(journal).build());
    LineStatus registered =
        line.registerAccount(account, password, "", "").get(15, TimeUnit.SECONDS);
    if (registered.type() != StatusType.REGISTERED) {
      System.out.println("FAILED " + registered.description());
      System.exit(2);
    }
    line.startSession(account, 0).get(15, TimeUnit.SECONDS);
    line.startCall(callee, Map.of()).get(15, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    Object connected = new Object();
    try (AutoCloseable watch =
        line.watch(
            s -> {
              if (s.type() == StatusType.OUTGOING_CALL_CONNECTED) {
                synchronized (connected) {
                  connected.notifyAll();
                }
              }
            })) {
      synchronized (connected) {
        while (line.status().type() != StatusType.OUTGOING_CALL_CONNECTED) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            System.out.println("FAILED not connected: " + line.status().description());
            System.exit(3);
          }
          TimeUnit.NANOSECONDS.timedWait(connected, left);
        }
      }
    }
    System.out.println("CONNECTED " + backend.sipPort());
    System.out.flush();
    // Held up until the parent kills this process: what a crash leaves is what it journaled.
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
