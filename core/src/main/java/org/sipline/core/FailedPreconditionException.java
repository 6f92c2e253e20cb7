package org.sipline.core;

/**
 * A well-formed request that the line's current state forbids (SPEC §2, errors): nothing changed.
 * The server answers gRPC FAILED_PRECONDITION with {@link #getMessage()}, which names the current
 * state.
 */
public final class FailedPreconditionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final StatusType current;

  public FailedPreconditionException(StatusType current, String what) {
    super(what + " (line is " + current + ")");
    this.current = current;
  }

  public StatusType currentStatus() {
    return current;
  }
}
