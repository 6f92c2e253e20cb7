package org.sipline.core;

/**
 * A request that is malformed in itself (SPEC §2, errors): nothing on the line changed. The server
 * answers gRPC INVALID_ARGUMENT with {@link #getMessage()}, which names the field and the reason,
 * e.g. {@code "callee_id: empty"}.
 */
public final class InvalidArgumentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidArgumentException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
  }

  public InvalidArgumentException(String field, String reason, Throwable cause) {
    super(field + ": " + reason, cause);
    this.field = field;
  }

  /** The request field at fault, as the proto names it (e.g. {@code headers["X-Foo"]}). */
  public String field() {
    return field;
  }
}
