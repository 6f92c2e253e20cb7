package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * RFC 3261 §14.1's two waits after a 491: the side that chose the Call-ID 2.1–4 s, the other 0–2 s,
 * both in steps of 10 ms — the whole of each range is drawn, and nothing outside it.
 */
class GlareTest {
  private static final int DRAWS = 20_000;

  /** Every distinct wait, in ms, of {@value #DRAWS} draws from a seeded generator. */
  private static NavigableSet<Long> draws(boolean weChoseTheCallId) {
    SplittableRandom random = new SplittableRandom(17);
    TreeSet<Long> seen = new TreeSet<>();
    for (int i = 0; i < DRAWS; i++) {
      Duration wait = Glare.wait(weChoseTheCallId, random);
      seen.add(wait.toMillis());
    }
    return seen;
  }

  @Test
  void theCallerWaitsFrom2100To4000MsInStepsOf10() {
    NavigableSet<Long> seen = draws(true);
    assertThat(seen.first()).isEqualTo(2100L);
    assertThat(seen.last()).isEqualTo(4000L);
    // 2100, 2110, …, 4000: every step drawn, none between steps.
    assertThat(seen).hasSize(191).allMatch(ms -> ms % 10 == 0);
  }

  @Test
  void theCalleeWaitsFrom0To2000MsInStepsOf10() {
    NavigableSet<Long> seen = draws(false);
    assertThat(seen.first()).isEqualTo(0L);
    assertThat(seen.last()).isEqualTo(2000L);
    assertThat(seen).hasSize(201).allMatch(ms -> ms % 10 == 0);
  }
}
