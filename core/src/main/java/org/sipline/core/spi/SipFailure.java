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
  /**
   * A final error response.
   *
   * @param statusCode the response's code
   * @param reason its reason phrase
   * @return the failure
   */
  public static SipFailure response(int statusCode, String reason) {
    return new SipFailure(statusCode, reason, null);
  }

  /**
   * No response came.
   *
   * @param what what happened instead, in words
   * @return the failure with code 0
   */
  public static SipFailure noResponse(String what) {
    return new SipFailure(0, what, null);
  }

  /**
   * A failure the stack reported as an exception.
   *
   * @param what what was being done, in words
   * @param cause the exception
   * @return the failure with code 0
   */
  public static SipFailure exception(String what, Throwable cause) {
    return new SipFailure(0, what, cause);
  }

  /**
   * "486 Busy Here", or the reason alone when there was no response.
   *
   * @return the failure in words
   */
  public String describe() {
    return statusCode > 0 ? statusCode + " " + reason : reason;
  }
}
