package org.sipline.core.spi;

import java.util.Objects;

/** A {@link SipFailure} as an exception, for futures that fail because of the network. */
public final class SipFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient SipFailure failure;

  public SipFailureException(SipFailure failure) {
    super(Objects.requireNonNull(failure, "failure").describe(), failure.cause());
    this.failure = failure;
  }

  public SipFailure failure() {
    return failure;
  }
}
