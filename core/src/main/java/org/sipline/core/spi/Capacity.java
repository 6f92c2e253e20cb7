package org.sipline.core.spi;

/**
 * Whether the process can take a call now, as a proxy in front asks it with OPTIONS (SPEC §7): a
 * load balancer such as Kamailio's dispatcher probes every node and sends calls only to those that
 * answer 200.
 */
public enum Capacity {
  /** A line is free: OPTIONS 200. */
  FREE(200, "OK"),
  /** Every line with a session is in a call, or none has a session: OPTIONS 486. */
  FULL(486, "Busy Here"),
  /** The process is draining (SIGTERM or the Drain rpc): OPTIONS and new INVITEs 503. */
  DRAINING(503, "Service Unavailable");

  private final int statusCode;
  private final String reason;

  Capacity(int statusCode, String reason) {
    this.statusCode = statusCode;
    this.reason = reason;
  }

  /**
   * The response code an OPTIONS to the process gets.
   *
   * @return the response code
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The reason phrase that goes with {@link #statusCode()}.
   *
   * @return the reason phrase
   */
  public String reason() {
    return reason;
  }
}
