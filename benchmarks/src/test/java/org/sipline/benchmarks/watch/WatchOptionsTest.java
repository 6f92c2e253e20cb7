package org.sipline.benchmarks.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WatchOptionsTest {
  @Test
  void theServerRunsOnAllCpusUnlessToldOtherwise() {
    assertThat(WatchOptions.parse(new String[0]).serverCpus()).isEmpty();
    assertThat(WatchOptions.parse(new String[] {"--server-cpus", "0"}).serverCpus()).isEqualTo("0");
    assertThat(WatchOptions.parse(new String[] {"--server-cpus", "0-1,3"}).serverCpus())
        .isEqualTo("0-1,3");
  }

  @Test
  void aCpuListThatIsNotOneIsRefusedByName() {
    // It goes on taskset's command line: nothing but numbers, ranges and commas.
    for (String bad : new String[] {"", "a", "0;reboot", "1-", ",0", "0 1"}) {
      assertThatThrownBy(() -> WatchOptions.parse(new String[] {"--server-cpus", bad}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--server-cpus")
          .hasMessageContaining(bad);
    }
  }
}
