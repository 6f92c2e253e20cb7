package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pacer on a fake clock: every wake-up is arranged, nothing really waits. */
class PacerTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long PERIOD = 20 * MS;

  // An odd start, so that no deadline is accidentally a round number.
  private final FakeClock clock = new FakeClock(987_654_321_123L);
  private final Pacer pacer = new Pacer(clock);

  /** Steps the pacer until the fake clock passed {@code nanos}. */
  private void runUntil(long nanos) {
    while (clock.nanoTime() < nanos) {
      pacer.step();
    }
  }

  private void runFrames(RecordingStream s, int frames) {
    while (s.sendTimes.size() < frames) {
      pacer.step();
    }
  }

  @Test
  void framesAreDueOnAbsoluteDeadlinesOnePeriodApart() {
    RecordingStream s = new RecordingStream(clock);
    pacer.add(s);

    runFrames(s, 50);

    long first = s.sendTimes.get(0);
    for (int n = 0; n < 50; n++) {
      assertThat(s.sendTimes.get(n)).as("frame %d", n).isEqualTo(first + n * PERIOD);
    }
  }

  @Test
  void aLateWakeUpSendsAtOnceAndDoesNotShiftLaterDeadlines() {
    RecordingStream s = new RecordingStream(clock);
    pacer.add(s);
    runFrames(s, 3);
    long first = s.sendTimes.get(0);

    clock.wakeLate(3 * MS);
    runFrames(s, 6);

    assertThat(s.sendTimes)
        .containsExactly(
            first,
            first + PERIOD,
            first + 2 * PERIOD,
            first + 3 * PERIOD + 3 * MS,
            first + 4 * PERIOD,
            first + 5 * PERIOD);
  }

  @Test
  void framesMoreThanFiveMillisecondsLateAreCountedLate() {
    RecordingStream s = new RecordingStream(clock);
    Pacer.Registration r = pacer.add(s);
    runFrames(s, 2);

    clock.wakeLate(4 * MS);
    runFrames(s, 3);
    clock.wakeLate(6 * MS);
    runFrames(s, 4);
    runFrames(s, 10);

    assertThat(r.frames()).isEqualTo(10);
    assertThat(r.late()).isEqualTo(1);
    assertThat(r.skipped()).isZero();
  }

  @Test
  void theLagOfEveryServedTickIsReported() {
    List<Long> lags = new ArrayList<>();
    pacer.observeLag(lags::add);
    RecordingStream s = new RecordingStream(clock);
    pacer.add(s);
    runFrames(s, 2);
    clock.wakeLate(3 * MS);
    runFrames(s, 4);

    assertThat(lags).containsExactly(0L, 0L, 3 * MS, 0L);
  }

  @Test
  void streamsAreSpreadOverTheTwentyOneMillisecondPhases() {
    List<RecordingStream> streams = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      RecordingStream s = new RecordingStream(clock);
      streams.add(s);
      pacer.add(s);
    }

    runUntil(clock.nanoTime() + 2 * PERIOD);

    long earliest = streams.stream().mapToLong(s -> s.sendTimes.get(0)).min().orElseThrow();
    Set<Long> phases = new HashSet<>();
    for (RecordingStream s : streams) {
      long offset = s.sendTimes.get(0) - earliest;
      assertThat(offset % MS).isZero();
      assertThat(offset).isLessThan(PERIOD);
      phases.add(offset);
    }
    assertThat(phases).hasSize(20);
    for (long phase : phases) {
      assertThat(streams.stream().filter(s -> s.sendTimes.get(0) - earliest == phase))
          .as("streams at phase %d ms", phase / MS)
          .hasSize(2);
    }
  }

  @Test
  void aNewStreamGoesToTheLeastLoadedSlot() {
    List<Pacer.Registration> regs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      regs.add(pacer.add(new RecordingStream(clock)));
    }
    pacer.step();
    regs.get(7).cancel();
    int freed = regs.get(7).slot();
    runUntil(clock.nanoTime() + PERIOD); // the pacer visits slot 7 and drops the stream

    Pacer.Registration added = pacer.add(new RecordingStream(clock));
    pacer.step();

    assertThat(added.slot()).isEqualTo(freed);
  }

  @Test
  void eachTickServesOnlyTheStreamsOfItsSlot() {
    int[] calls = new int[1];
    PacedStream counting =
        new PacedStream() {
          @Override
          public void sendFrame() {
            calls[0]++;
          }

          @Override
          public void skipFrames(int frames) {}
        };
    for (int i = 0; i < 1000; i++) {
      pacer.add(counting);
    }
    pacer.step();

    List<Integer> perTick = new ArrayList<>();
    long end = clock.nanoTime() + 5 * PERIOD;
    while (clock.nanoTime() < end) {
      calls[0] = 0;
      pacer.step();
      if (calls[0] > 0) {
        perTick.add(calls[0]);
      }
    }

    assertThat(perTick).hasSizeGreaterThanOrEqualTo(5 * 20 - 1).allMatch(n -> n == 50);
  }

  @Test
  void aLongStallSkipsToTheCurrentFrameInsteadOfBursting() {
    RecordingStream s = new RecordingStream(clock);
    Pacer.Registration r = pacer.add(s);
    runFrames(s, 2);
    long first = s.sendTimes.get(0);

    // Waiting for frame 2 the thread stalls 1 s + 7 ms (a GC pause): frames 2..51 are older
    // than a period when it wakes, frame 52 is due 7 ms ago.
    clock.wakeLate(1000 * MS + 7 * MS);
    runFrames(s, 4);

    assertThat(s.skips).containsExactly(50);
    assertThat(r.skipped()).isEqualTo(50);
    assertThat(s.sendTimes)
        .containsExactly(first, first + PERIOD, first + 52 * PERIOD + 7 * MS, first + 53 * PERIOD);
    assertThat(r.late()).isEqualTo(1);
  }

  @Test
  void aShortStallSendsTheMissedFramesAtOnce() {
    RecordingStream s = new RecordingStream(clock);
    pacer.add(s);
    runFrames(s, 1);
    long first = s.sendTimes.get(0);

    clock.wakeLate(2 * PERIOD + MS); // frame 1 wakes at frame 3's deadline + 1 ms
    runFrames(s, 5);

    long woke = first + 3 * PERIOD + MS;
    assertThat(s.skips).isEmpty();
    assertThat(s.sendTimes).containsExactly(first, woke, woke, woke, first + 4 * PERIOD);
  }

  @Test
  void aCancelledStreamIsNotCalledAgain() {
    RecordingStream kept = new RecordingStream(clock);
    RecordingStream cancelled = new RecordingStream(clock);
    pacer.add(kept);
    Pacer.Registration r = pacer.add(cancelled);
    runFrames(cancelled, 3);

    r.cancel();
    runFrames(kept, kept.sendTimes.size() + 10);

    assertThat(cancelled.sendTimes).hasSize(3);
    assertThat(r.cancelled()).isTrue();
  }

  @Test
  void aStreamCancelledBeforeThePacerTookItInIsNeverCalled() {
    RecordingStream s = new RecordingStream(clock);
    pacer.add(s).cancel();

    runUntil(clock.nanoTime() + 10 * PERIOD);

    assertThat(s.sendTimes).isEmpty();
  }

  @Test
  void anIdlePacerWaitsWithoutTicking() {
    long start = clock.nanoTime();
    pacer.step();
    pacer.step();
    assertThat(clock.waits()).isEqualTo(2);
    assertThat(clock.nanoTime() - start).isEqualTo(2_000 * MS);

    RecordingStream s = new RecordingStream(clock);
    pacer.add(s);
    runFrames(s, 2);
    long added = start + 2_000 * MS;
    assertThat(s.sendTimes.get(0)).isBetween(added, added + PERIOD - 1);
    assertThat(s.sendTimes.get(1) - s.sendTimes.get(0)).isEqualTo(PERIOD);
  }

  @Test
  void aStreamThatThrowsDoesNotStopTheOthers() {
    RecordingStream good = new RecordingStream(clock);
    pacer.add(
        new PacedStream() {
          @Override
          public void sendFrame() {
            throw new IllegalStateException("broken source");
          }

          @Override
          public void skipFrames(int frames) {}
        });
    pacer.add(good);

    runFrames(good, 5);

    assertThat(good.sendTimes).hasSize(5);
  }

  @Test
  void slotCountMustDivideThePeriod() {
    assertThatThrownBy(() -> new Pacer(clock, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slots must divide 20000000 ns: 3");
  }

  @Test
  void addingToAClosedPacerFails() {
    pacer.close();
    assertThatThrownBy(() -> pacer.add(new RecordingStream(clock)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pacer closed");
  }
}
