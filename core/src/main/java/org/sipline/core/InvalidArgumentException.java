package org.sipline.core;

/**
 * A request that is malformed in itself (SPEC §2, errors): nothing on the line changed. The server
 * answers gRPC INVALID_ARGUMENT with {@link #getMessage()}, which names the field and the reason,
 * e.g. {@code "callee_id: empty"}.
 */
public final class InvalidArgumentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The request field at fault. */
  private final String field;

  /**
   * A refusal of one field's value.
   *
   * @param field the request field at fault, as the proto names it
   * @param reason what was wrong with the value, in words
   */
  public InvalidArgumentException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
  }

  /**
   * A refusal of one field's value, found by a check that threw.
   *
   * @param field the request field at fault, as the proto names it
   * @param reason what was wrong with the value, in words
   * @param cause the check's own exception
   */
  public InvalidArgumentException(String field, String reason, Throwable cause) {
    super(field + ": " + reason, cause);
    this.field = field;
  }

  /**
   * The request field at fault, as the proto names it (e.g. {@code headers["X-Foo"]}).
   *
   * @return the field's name
   */
  public String field() {
    return field;
  }
}
