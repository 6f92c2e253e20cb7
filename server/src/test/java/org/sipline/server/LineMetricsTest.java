package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineRuntime;
import org.sipline.testing.FakeBackend;

/** The server's meters for lines run outside the server (the pacing benchmark's metrics mode). */
class LineMetricsTest {

  @Test
  void linesAddedOneByOneAreCountedAndThePacerReportsIntoTheSameRegistry() throws Exception {
    try (FakeBackend backend = new FakeBackend();
        LineRuntime runtime = LineRuntime.create(1);
        LineMetrics metrics = LineMetrics.create()) {
      Line a = Line.open(backend, LineConfig.defaults(), runtime);
      Line b = Line.open(backend, LineConfig.defaults(), runtime);
      metrics.add("load-0", a);
      metrics.add("load-1", b);
      metrics.backendObserver().paced(7_000_000);
      a.registerAccount("alice@example.org", "", "", "").get(10, TimeUnit.SECONDS);

      String text = metrics.scrape();
      assertThat(text)
          .contains("sipline_lines{state=\"registered\"} 1.0")
          .contains("sipline_lines{state=\"no_session\"} 1.0")
          .contains("sipline_pacer_lateness_seconds_count 1")
          .contains("jvm_memory_used_bytes");
      assertThatThrownBy(() -> metrics.add("load-1", b))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'load-1'");
    }
  }
}
