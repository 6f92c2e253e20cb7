package org.sipline.core.spi;

/**
 * What a backend tells about its own work, for an operator's metrics (the server turns it into
 * Prometheus series; core and the backends know no metrics library). Methods may be called on hot
 * paths, the RTP pacers' threads among them (several at once): an implementation is thread-safe,
 * returns at once, never blocks and allocates nothing per call. Every method has a no-op default,
 * so a backend reports what it can.
 */
public interface BackendObserver {
  /** Reports nothing. */
  BackendObserver NONE = new BackendObserver() {};

  /**
   * The RTP pacer served a tick {@code lagNanos} after its deadline (0 when on time): how late
   * every stream of that tick sent its frame.
   *
   * @param lagNanos how late the tick was served, in nanoseconds
   */
  default void paced(long lagNanos) {}

  /**
   * A SIP request from a source that is none of ours (no registrar, proxy or trusted address) was
   * refused statelessly.
   *
   * @param method the request's method as received (untrusted: bound it before using it as a label)
   * @param statusCode the response sent, e.g. 403
   */
  default void strangerRefused(String method, int statusCode) {}
}
