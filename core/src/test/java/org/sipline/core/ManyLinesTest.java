package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.LineHarness.get;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.FakeScript;
import org.sipline.testing.StatusProbe;

/** Many lines share one backend and one two-thread runtime, and never see each other's calls. */
class ManyLinesTest {
  @Test
  void fiftyLinesOnOneBackendCallIndependently() {
    try (FakeBackend fake = new FakeBackend();
        LineRuntime runtime = LineRuntime.create(2)) {
      fake.script("answer", FakeScript.answer());
      List<Line> lines = new ArrayList<>();
      List<StatusProbe> probes = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          Line line = Line.open(fake, LineConfig.defaults(), runtime);
          lines.add(line);
          probes.add(new StatusProbe(line));
        }
        List<CompletableFuture<LineStatus>> calls = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          Line line = lines.get(i);
          String account = "line" + i + "@fake.test";
          calls.add(
              line.registerAccount(account, "pw", "", "")
                  .thenCompose(s -> line.startSession(account, 0))
                  .thenCompose(s -> line.startCall("answer", Map.of("X-Line", account))));
        }
        calls.forEach(LineHarness::get);
        for (StatusProbe p : probes) {
          p.await(StatusType.OUTGOING_CALL_CONNECTED, LineHarness.PATIENCE);
        }
        // Ending one line's call leaves every other line's call up.
        get(lines.get(0).endCall(false));
        assertThat(lines.get(0).status().type()).isEqualTo(StatusType.READY);
        for (int i = 1; i < lines.size(); i++) {
          LineStatus s = lines.get(i).status();
          assertThat(s.type()).isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);
          assertThat(s.accountName()).isEqualTo("line" + i + "@fake.test");
          assertThat(s.headers()).containsEntry("X-Line", "line" + i + "@fake.test");
        }
        assertThat(fake.calls()).hasSize(50);
      } finally {
        probes.forEach(StatusProbe::close);
        lines.forEach(Line::close);
      }
    }
  }
}
