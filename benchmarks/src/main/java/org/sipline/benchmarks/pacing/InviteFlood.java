package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ChildProcess;

/**
 * SIPp flooding the load's SIP port with out-of-dialog INVITEs from a stranger (127.0.0.2, so that
 * sipline refuses them 403 as it does anyone but its registrars) at a fixed rate, as issue 6's
 * hardening test does: the pacing under it is compared with an idle window. SIPp runs without
 * traces, which at thousands of calls a second would measure the disk. Stopped by its PID on close.
 */
final class InviteFlood implements AutoCloseable {
  private static final String STRANGER = "127.0.0.2";

  /** SIPp gives up on a refusal that takes longer than this. */
  private static final int RECV_TIMEOUT_MS = 2000;

  private static final Duration STARTUP = Duration.ofSeconds(1);

  private final ChildProcess sipp;

  private InviteFlood(ChildProcess sipp) {
    this.sipp = sipp;
  }

  /**
   * Starts {@code rate} INVITEs a second at 127.0.0.1:{@code sipPort} for {@code duration}; fails
   * when SIPp does not survive its first second.
   */
  static InviteFlood start(Path dir, int sipPort, int rate, Duration duration)
      throws IOException, InterruptedException {
    Path scenario = dir.resolve("invite-flood.xml");
    try (InputStream in = InviteFlood.class.getResourceAsStream("invite-flood.xml")) {
      if (in == null) {
        throw new IllegalStateException("invite-flood.xml missing from the jar");
      }
      Files.write(scenario, in.readAllBytes());
    }
    long total = rate * Math.max(1, duration.toSeconds());
    List<String> command =
        new ArrayList<>(
            List.of(
                "sipp",
                "-sf",
                scenario.toString(),
                "-i",
                STRANGER,
                "-p",
                Integer.toString(freePort(1)),
                "-mi",
                STRANGER,
                "-mp",
                Integer.toString(freePort(4)),
                "-t",
                "u1",
                "-r",
                Integer.toString(rate),
                "-rp",
                "1000",
                "-m",
                Long.toString(total),
                "-l",
                Integer.toString(rate * 4),
                "-recv_timeout",
                Integer.toString(RECV_TIMEOUT_MS),
                "-timeout",
                (duration.toSeconds() + 30) + "s",
                "-nostdin",
                "127.0.0.1:" + sipPort));
    ChildProcess sipp = ChildProcess.start("sipp-flood", command, dir);
    Await.elapse(STARTUP);
    if (!sipp.isAlive() && sipp.process().exitValue() != 0) {
      IllegalStateException failure =
          sipp.failure("ended in its first second with " + sipp.process().exitValue());
      sipp.close();
      throw failure;
    }
    return new InviteFlood(sipp);
  }

  long pid() {
    return sipp.pid();
  }

  /** The first port of {@code count} consecutive free UDP ports on the stranger's address. */
  private static int freePort(int count) throws IOException {
    InetAddress stranger = InetAddress.getByName(STRANGER);
    for (int attempt = 0; attempt < 100; attempt++) {
      int first;
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(stranger, 0))) {
        first = s.getLocalPort();
      }
      if (first % 2 == 0 && first + count <= 65535 && allFree(stranger, first, count)) {
        return first;
      }
    }
    throw new IOException(
        "no " + count + " consecutive free UDP ports on " + STRANGER + " in 100 tries");
  }

  private static boolean allFree(InetAddress address, int first, int count) throws IOException {
    List<DatagramSocket> held = new ArrayList<>();
    try {
      for (int p = first; p < first + count; p++) {
        held.add(new DatagramSocket(new InetSocketAddress(address, p)));
      }
      return true;
    } catch (BindException e) {
      return false;
    } finally {
      for (DatagramSocket s : held) {
        s.close();
      }
    }
  }

  @Override
  public void close() {
    sipp.close();
  }
}
