package org.sipline.core;

/**
 * A request to create something that exists and may only exist once, e.g. a second writer of a
 * call's audio. The server answers gRPC ALREADY_EXISTS with {@link #getMessage()}.
 */
public final class AlreadyExistsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception whose message says what exists already.
   *
   * @param what the thing that exists, in words a client can act on
   */
  public AlreadyExistsException(String what) {
    super(what);
  }
}
