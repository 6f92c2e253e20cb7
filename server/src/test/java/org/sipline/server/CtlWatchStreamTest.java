package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipStatus.StatusType;
import picocli.CommandLine;

/**
 * {@code sipline ctl watch} against a server with sipline.lines.v1 follows the line with
 * WatchStatus: the latest status, then each new one, in order, until the awaited one. (Against a
 * server without it, it polls: CtlCommandTest.)
 */
class CtlWatchStreamTest {
  private RunningServer running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void watchStreamsFromTheLatestStatusUntilTheAwaitedOne() throws Exception {
    running = RunningServer.start();
    running.connectCall();
    StringWriter out = new StringWriter();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> {
              CommandLine cl = Main.commandLine();
              cl.setOut(new PrintWriter(out, true));
              cl.setErr(new PrintWriter(new StringWriter(), true));
              return cl.execute(
                  "ctl",
                  "--target",
                  running.target(),
                  "watch",
                  "--interval",
                  "1s",
                  "--until",
                  "MICROPHONE_UNMUTED");
            });
    org.sipline.testing.StatusProbe.awaitTrue(
        () -> out.toString().contains("OUTGOING_CALL_CONNECTED"),
        "the latest status printed",
        RunningServer.WAIT);
    running.sip().sipMute(Empty.getDefaultInstance());
    running.sip().sipUnMute(Empty.getDefaultInstance());
    running.sip().sipMute(Empty.getDefaultInstance());
    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(Arrays.stream(out.toString().split("\\R")).map(l -> l.split(" ")[1]))
        .containsExactly(
            StatusType.OUTGOING_CALL_CONNECTED.name(),
            StatusType.MICROPHONE_MUTED.name(),
            StatusType.MICROPHONE_UNMUTED.name());
  }
}
