package org.sipline.core.spi;

import java.util.Objects;

/**
 * How a request the backend sent on the core's behalf ended.
 *
 * @param statusCode the final response's code, or 0 when none came (timeout, transport error)
 * @param reason its reason phrase, or what happened in words when there was no response
 */
public record FinalResponse(int statusCode, String reason) {
  /**
   * Checks the code (0, or a final response's 200..699) and that a reason is given.
   *
   * @param statusCode the final response's code, or 0 when none came (timeout, transport error)
   * @param reason its reason phrase, or what happened in words when there was no response
   */
  public FinalResponse {
    Objects.requireNonNull(reason, "reason");
    if (statusCode != 0 && (statusCode < 200 || statusCode > 699)) {
      throw new IllegalArgumentException("not a final status code: " + statusCode);
    }
  }

  /**
   * No response came.
   *
   * @param what what happened instead, in words
   * @return the outcome with code 0
   */
  public static FinalResponse none(String what) {
    return new FinalResponse(0, what);
  }

  /**
   * Whether the request succeeded.
   *
   * @return true for a 2xx
   */
  public boolean isSuccess() {
    return statusCode >= 200 && statusCode < 300;
  }

  /**
   * True for 401 and 407: the request needs credentials.
   *
   * @return whether the response is a challenge
   */
  public boolean isChallenge() {
    return statusCode == 401 || statusCode == 407;
  }

  /**
   * "200 OK", or the reason alone when no response came.
   *
   * @return the response in words
   */
  public String describe() {
    return statusCode > 0 ? statusCode + " " + reason : reason;
  }
}
