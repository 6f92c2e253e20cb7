package org.sipline.core.spi;

/**
 * Why something failed on the network or at the far end.
 *
 * @param statusCode the SIP final response code, or 0 when no response came (timeout, transport
 *     error, local fault)
 * @param reason the reason phrase, or what happened in words when there was no response
 * @param cause the exception behind it, or null
 */
public record SipFailure(int statusCode, String reason, Throwable cause) {
  public static SipFailure response(int statusCode, String reason) {
    return new SipFailure(statusCode, reason, null);
  }

  public static SipFailure noResponse(String what) {
    return new SipFailure(0, what, null);
  }

  public static SipFailure exception(String what, Throwable cause) {
    return new SipFailure(0, what, cause);
  }

  /** "486 Busy Here", or the reason alone when there was no response. */
  public String describe() {
    return statusCode > 0 ? statusCode + " " + reason : reason;
  }
}
