package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping peer processes by PID, with ordinary shell commands as the peers. */
class PeerProcessTest {
  private static final Duration SHORT_GRACE = Duration.ofMillis(300);

  @TempDir Path dir;

  @Test
  void closeEndsAProcessWithSigterm() {
    PeerProcess sleeper = PeerProcess.start("sleeper", List.of("sleep", "30"), dir, SHORT_GRACE);
    assertThat(sleeper.isAlive()).isTrue();

    sleeper.close();

    assertThat(sleeper.isAlive()).isFalse();
    assertThat(sleeper.exitCode()).isEqualTo(143); // 128 + SIGTERM
  }

  @Test
  void closeSendsSigkillToAProcessAndItsChildrenThatIgnoreSigterm() {
    PeerProcess stubborn =
        PeerProcess.start(
            "stubborn",
            List.of("sh", "-c", "trap '' TERM; sleep 30 & echo started; wait"),
            dir,
            SHORT_GRACE);
    assertThat(Await.until(Duration.ofSeconds(5), () -> stubborn.readLog().contains("started")))
        .isTrue();
    stubborn.rememberWorkers();
    List<ProcessHandle> all = stubborn.handles();
    assertThat(all).hasSize(2);

    long start = System.nanoTime();
    stubborn.close();

    assertThat(all).noneMatch(ProcessHandle::isAlive);
    // SIGTERM was ignored: only the SIGKILL after the grace ended them.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT_GRACE);
  }

  @Test
  void failureNamesTheExitCodeAndTheLogTail() {
    PeerProcess failing =
        PeerProcess.start(
            "failing",
            List.of("sh", "-c", "echo first; echo 'cannot bind 127.0.0.1:1'; exit 3"),
            dir);

    assertThat(failing.awaitExit(Duration.ofSeconds(5))).isEqualTo(3);
    assertThat(failing.failure("exited before it was ready").getMessage())
        .startsWith("failing exited before it was ready; exited with 3; log ")
        .endsWith(":\nfirst\ncannot bind 127.0.0.1:1");
    failing.close();
  }

  @Test
  void awaitExitReturnsNullWhileTheProcessRuns() {
    try (PeerProcess sleeper =
        PeerProcess.start("sleeper", List.of("sleep", "30"), dir, SHORT_GRACE)) {
      assertThat(sleeper.awaitExit(Duration.ofMillis(50))).isNull();
      assertThat(sleeper.failure("did not finish").getMessage())
          .contains("still running (pid " + sleeper.pid() + ")");
    }
  }
}
