package org.sipline.backend.jainsip;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * RFC 3261 §14.1: how long to wait before sending again a re-INVITE (or UPDATE) answered 491
 * because the far end's crossed it. The side that placed the call (it chose the Call-ID) waits
 * 2.1–4 s, the other 0–2 s, in units of 10 ms, so the two do not collide again.
 */
final class Glare {
  private Glare() {}

  static Duration wait(JainSipCall call) {
    return wait(!call.isIncoming(), call.ctx.random);
  }

  /**
   * The wait for the side that chose the Call-ID ({@code weChoseTheCallId}: we placed the call) or
   * the other, drawn from {@code random}.
   */
  static Duration wait(boolean weChoseTheCallId, RandomGenerator random) {
    int tens = weChoseTheCallId ? 210 + random.nextInt(191) : random.nextInt(201);
    return Duration.ofMillis(tens * 10L);
  }
}
