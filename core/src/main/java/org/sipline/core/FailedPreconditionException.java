package org.sipline.core;

/**
 * A well-formed request that the line's current state forbids (SPEC §2, errors): nothing changed.
 * The server answers gRPC FAILED_PRECONDITION with {@link #getMessage()}, which names the current
 * state.
 */
public final class FailedPreconditionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The line's latest status when the request was refused. */
  private final StatusType current;

  /**
   * @param current the line's latest status
   * @param what what was refused and why, e.g. {@code "account x is still registering"}
   */
  public FailedPreconditionException(StatusType current, String what) {
    super(what + " (line is " + current + ")");
    this.current = current;
  }

  /**
   * A refusal naming the line's state in words, since the latest status alone can mislead (a line
   * whose latest status is MICROPHONE_MUTED is in a connected call): {@code "what (line is in a
   * connected call with bob@example.org, microphone muted; last status MICROPHONE_MUTED)"}.
   *
   * @param current the line's latest status
   * @param state the line's state as a user reads it after "the line is"
   * @param what what was refused and why
   */
  public FailedPreconditionException(StatusType current, String state, String what) {
    super(what + " (line is " + state + "; last status " + current + ")");
    this.current = current;
  }

  /**
   * The line's latest status when the request was refused.
   *
   * @return the status type
   */
  public StatusType currentStatus() {
    return current;
  }
}
