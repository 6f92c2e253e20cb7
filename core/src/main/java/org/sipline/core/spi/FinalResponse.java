package org.sipline.core.spi;

import java.util.Objects;

/**
 * How a request the backend sent on the core's behalf ended.
 *
 * @param statusCode the final response's code, or 0 when none came (timeout, transport error)
 * @param reason its reason phrase, or what happened in words when there was no response
 */
public record FinalResponse(int statusCode, String reason) {
  public FinalResponse {
    Objects.requireNonNull(reason, "reason");
    if (statusCode != 0 && (statusCode < 200 || statusCode > 699)) {
      throw new IllegalArgumentException("not a final status code: " + statusCode);
    }
  }

  public static FinalResponse none(String what) {
    return new FinalResponse(0, what);
  }

  public boolean isSuccess() {
    return statusCode >= 200 && statusCode < 300;
  }

  /** True for 401 and 407: the request needs credentials. */
  public boolean isChallenge() {
    return statusCode == 401 || statusCode == 407;
  }

  /** "200 OK", or the reason alone when no response came. */
  public String describe() {
    return statusCode > 0 ? statusCode + " " + reason : reason;
  }
}
