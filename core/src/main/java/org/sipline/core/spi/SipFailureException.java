package org.sipline.core.spi;

import java.util.Objects;

/** A {@link SipFailure} as an exception, for futures that fail because of the network. */
public final class SipFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient SipFailure failure;

  /**
   * The failure as an exception whose message describes it.
   *
   * @param failure the failure
   */
  public SipFailureException(SipFailure failure) {
    super(Objects.requireNonNull(failure, "failure").describe(), failure.cause());
    this.failure = failure;
  }

  /**
   * The failure behind the exception.
   *
   * @return the failure
   */
  public SipFailure failure() {
    return failure;
  }
}
