package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Several pacers: calls spread by load, ticks staggered, one thread each, one lifecycle. */
class PacersTest {
  private static final long SLOT = TimeUnit.MILLISECONDS.toNanos(1);

  private final FakeClock clock = new FakeClock(987_654_321_123L);

  @Test
  void aNewStreamGoesToThePacerWithTheFewestStreams() {
    Pacers pacers = new Pacers(clock, 2);
    List<Pacer.Registration> regs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      regs.add(pacers.add(new RecordingStream(clock)));
    }
    assertThat(regs)
        .extracting(Pacer.Registration::pacer)
        .containsExactly(pacers.pacer(0), pacers.pacer(1), pacers.pacer(0), pacers.pacer(1));

    // Two calls of the first pacer end: the next two go there, not round the table.
    regs.get(0).cancel();
    regs.get(2).cancel();
    regs.get(2).cancel(); // twice: counted once
    assertThat(pacers.pacer(0).load()).isZero();
    assertThat(pacers.pacer(1).load()).isEqualTo(2);

    assertThat(pacers.add(new RecordingStream(clock)).pacer()).isSameAs(pacers.pacer(0));
    assertThat(pacers.add(new RecordingStream(clock)).pacer()).isSameAs(pacers.pacer(0));
    assertThat(pacers.add(new RecordingStream(clock)).pacer()).isSameAs(pacers.pacer(0));
    assertThat(pacers.add(new RecordingStream(clock)).pacer()).isSameAs(pacers.pacer(1));
  }

  @Test
  void eachPacerServesOnlyItsOwnStreams() {
    Pacers pacers = new Pacers(clock, 2);
    RecordingStream first = new RecordingStream(clock);
    RecordingStream second = new RecordingStream(clock);
    pacers.add(first);
    pacers.add(second);

    while (first.sendTimes.size() < 5) {
      pacers.pacer(0).step();
    }

    assertThat(second.sendTimes).as("the second pacer never stepped").isEmpty();
    while (second.sendTimes.size() < 5) {
      pacers.pacer(1).step();
    }
    assertThat(first.sendTimes).hasSize(5);
  }

  @Test
  void thePacersTicksAreStaggeredAcrossASlot() {
    Pacers pacers = new Pacers(clock, 4);

    for (int k = 1; k < 4; k++) {
      assertThat(pacers.pacer(k).deadlineOf(7) - pacers.pacer(0).deadlineOf(7))
          .as("pacer %d", k)
          .isEqualTo(k * SLOT / 4);
    }
  }

  @Test
  void aCountOutsideOneToFourIsRefused() {
    assertThatThrownBy(() -> new Pacers(clock, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pacers must be 1..4: 0");
    assertThatThrownBy(() -> new Pacers(clock, 5)).hasMessage("pacers must be 1..4: 5");
    assertThat(Pacers.forCores()).isBetween(1, Pacers.MAX);
  }

  @Test
  void startRunsOneNamedThreadPerPacerAndCloseStopsThemAll() {
    // Other tests' engines may run pacers in this JVM: only the threads this start made count.
    Set<Thread> before = pacerThreads();
    try (Pacers pacers = new Pacers(MediaClock.system(), 3)) {
      pacers.start(RealtimeScheduling.off());

      Set<Thread> started = pacerThreads();
      started.removeAll(before);
      assertThat(started)
          .extracting(Thread::getName)
          .containsExactlyInAnyOrder(
              "sipline-rtp-pacer", "sipline-rtp-pacer-2", "sipline-rtp-pacer-3");
      assertThat(pacers.scheduling().policy()).isEqualTo(PacerScheduling.Policy.NORMAL);
      assertThat(pacers.count()).isEqualTo(3);

      pacers.close();

      assertThat(started).noneMatch(Thread::isAlive);
    }
  }

  private static Set<Thread> pacerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("sipline-rtp-pacer"))
        .collect(Collectors.toCollection(HashSet::new));
  }
}
