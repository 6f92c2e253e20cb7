package org.sipline.core.sip;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a backend refreshes a binding and when it tries again after a failure (issue 13, SPEC §7
 * "registration at scale is polite"). One rule for every backend, so that a thousand lines
 * registered at the same second do not all refresh, or all retry, at the same second again.
 *
 * <ul>
 *   <li>Refresh: at a uniformly random point between 50 % and 90 % of the expiry the registrar
 *       <em>granted</em> (never sooner than half a second).
 *   <li>Retry after a failed refresh (no answer, a transport error, 5xx, 403, 404, any other final
 *       refusal): the n-th consecutive failure waits {@code min(1 s · 2^(n-1), 60 s)} times a
 *       uniformly random factor in [0.5, 1.0] — 0.5–1 s, 1–2 s, 2–4 s, 4–8 s, 8–16 s, 16–32 s, then
 *       30–60 s for every further one. A success starts the count again.
 * </ul>
 */
public final class RegistrationTiming {
  /** The first retry's full wait (before jitter). */
  public static final Duration RETRY_BASE = Duration.ofSeconds(1);

  /** No retry waits longer than this. */
  public static final Duration RETRY_CAP = Duration.ofSeconds(60);

  /** The earliest refresh, for registrars granting a second or two. */
  public static final Duration MIN_REFRESH = Duration.ofMillis(500);

  /** The refresh point's range, as fractions of the granted expiry. */
  public static final double REFRESH_FROM = 0.5;

  /** The refresh point's upper end, as a fraction of the granted expiry. */
  public static final double REFRESH_TO = 0.9;

  private RegistrationTiming() {}

  /**
   * How long after a 2xx granting {@code grantedSeconds} the binding is refreshed.
   *
   * @param grantedSeconds the expiry the registrar granted
   * @param random the source of the jitter that spreads many lines' refreshes
   * @return the delay, between {@link #REFRESH_FROM} and {@link #REFRESH_TO} of the expiry
   */
  public static Duration refreshDelay(int grantedSeconds, RandomGenerator random) {
    if (grantedSeconds < 0) {
      throw new IllegalArgumentException("granted expiry < 0: " + grantedSeconds);
    }
    double fraction = REFRESH_FROM + (REFRESH_TO - REFRESH_FROM) * random.nextDouble();
    long millis = Math.round(grantedSeconds * 1000.0 * fraction);
    return Duration.ofMillis(Math.max(MIN_REFRESH.toMillis(), millis));
  }

  /**
   * How long to wait before the next attempt after {@code failures} consecutive failed attempts (1
   * for the first failure).
   *
   * @param failures consecutive failed attempts, at least 1
   * @param random the source of the jitter
   * @return the delay, at most {@link #RETRY_CAP}
   */
  public static Duration retryDelay(int failures, RandomGenerator random) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures < 1: " + failures);
    }
    long full = RETRY_CAP.toMillis();
    // 2^16 s is far past the cap; stopping the shift there keeps it from overflowing.
    int doublings = Math.min(failures - 1, 16);
    full = Math.min(full, RETRY_BASE.toMillis() << doublings);
    double factor = 0.5 + 0.5 * random.nextDouble();
    return Duration.ofMillis(Math.round(full * factor));
  }
}
