package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.FreePorts;

/**
 * A stranger's INVITE flood leaves nothing behind: every INVITE gets its 403 (SIPp counts each call
 * a success only then), and right after the flood — well within the 32 s an INVITE server
 * transaction would wait for the ACK of its refusal — the heap holds no server transaction, no
 * dialog and no bytes in proportion to the INVITEs sent. Stateful refusals kept one transaction and
 * one dialog per INVITE, about 8 KB each. Nor does the log grow with the flood: one line per 10 s.
 * 3,000 INVITEs at 600/s by default, 150,000 at 5,000/s under -Plong.
 */
class StrangerFloodMemoryTest {
  private static final String SERVER_TRANSACTION =
      "gov.nist.javax.sip.stack.SIPServerTransactionImpl";
  private static final String DIALOG = "gov.nist.javax.sip.stack.SIPDialog";

  @Test
  void aStrangersInviteFloodLeavesNoTransactionDialogOrHeapBehind() throws Exception {
    int rate = HardeningRun.count(600, 5000);
    int invites = rate * HardeningRun.count(5, 30);
    int port = FreePorts.sipPort();
    CountDownLatch registered = new CountDownLatch(1);
    SipEventListener listener =
        new SipEventListener() {
          @Override
          public void registered(SipAccount account, int expiresSeconds) {
            registered.countDown();
          }
        };
    try (FakeRegistrar registrar = new FakeRegistrar();
        SipBackend backend =
            new JainSipBackendProvider().create(BackendConfig.loopback().sipPort(port).build())) {
      backend.register(
          new AccountSpec(SipUri.of("bot", "127.0.0.1", registrar.port()), "secret", "bot", null),
          listener);
      assertThat(registered.await(5, TimeUnit.SECONDS)).as("registered").isTrue();
      long floodStart = System.nanoTime();
      String log;
      LiveHeap before;
      try (LogCapture capture = LogCapture.start()) {
        // A first small flood loads and compiles the refusal path, so that what the measured
        // one leaves behind is not the JVM's own warm-up.
        flood(port, rate, rate / 2);
        before = LiveHeap.now();
        flood(port, rate, invites);
        log = capture.text();
      }
      double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
      LiveHeap after = LiveHeap.now();

      long transactions =
          after.instances(SERVER_TRANSACTION) - before.instances(SERVER_TRANSACTION);
      long dialogs = after.instances(DIALOG) - before.instances(DIALOG);
      double bytesPerInvite = (double) (after.bytes() - before.bytes()) / invites;
      HardeningRun.figure("StrangerFloodMemoryTest", "invites", invites);
      HardeningRun.figure("StrangerFloodMemoryTest", "liveServerTransactionsAdded", transactions);
      HardeningRun.figure("StrangerFloodMemoryTest", "liveDialogsAdded", dialogs);
      HardeningRun.figure("StrangerFloodMemoryTest", "liveHeapBefore", before.bytes());
      HardeningRun.figure("StrangerFloodMemoryTest", "liveHeapAfter", after.bytes());
      HardeningRun.figure("StrangerFloodMemoryTest", "retainedBytesPerInvite", bytesPerInvite);
      // Bounds far from both outcomes: stateless refusals keep none, stateful ones kept one of
      // each per INVITE (and ~8 KB); 1 % and 1 KB leave room for the JVM's own churn.
      assertThat(transactions)
          .as("server transactions alive after %d INVITEs", invites)
          .isLessThan(invites / 100);
      assertThat(dialogs).as("dialogs alive after %d INVITEs", invites).isLessThan(invites / 100);
      assertThat(bytesPerInvite).as("heap kept per INVITE, bytes").isLessThan(1024.0);
      // One line per 10 s, each counting the refusals it stands for, not one per INVITE.
      long refusalLines =
          log.lines().filter(l -> l.contains("not a registrar or outbound proxy")).count();
      assertThat(refusalLines)
          .as("refusal log lines for %d INVITEs in %.1f s", invites + rate / 2, floodSeconds)
          .isBetween(1L, (long) (floodSeconds / 10) + 1);
    }
  }

  /** Sends {@code total} INVITEs from a stranger at {@code rate}/s; each must get its 403. */
  private static void flood(int port, int rate, int total) throws Exception {
    try (SippFlood flood =
        SippFlood.start(port, rate, total, FreePorts.udpPort(), FreePorts.udpPortBlock(4))) {
      assertThat(flood.await(total / rate + 60L)).as("SIPp finished its calls").isTrue();
      String out = flood.output();
      assertThat(flood.exitCode())
          .as(
              "SIPp's exit status (0: every INVITE got its 403);" + " its output ends:%n%s",
              out.substring(Math.max(0, out.length() - 3000)))
          .isZero();
    }
  }
}
