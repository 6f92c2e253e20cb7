package org.sipline.backend.jainsip;

import java.time.Duration;

/**
 * RFC 3261 §14.1: how long to wait before sending again a re-INVITE (or UPDATE) answered 491
 * because the far end's crossed it. The side that placed the call (it chose the Call-ID) waits
 * 2.1–4 s, the other 0–2 s, in units of 10 ms, so the two do not collide again.
 */
final class Glare {
  private Glare() {}

  static Duration wait(JainSipCall call) {
    int tens =
        call.isIncoming() ? call.ctx.random.nextInt(201) : 210 + call.ctx.random.nextInt(191);
    return Duration.ofMillis(tens * 10L);
  }
}
