package org.sipline.core.backends;

/**
 * No SIP backend can be used: none is on the class path, the one asked for by name is unknown or
 * not available on this machine. The message says which, and what to do about it.
 */
public final class NoBackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure to choose a backend.
   *
   * @param message what was asked, and which backends are known and why each could not be used
   */
  public NoBackendException(String message) {
    super(message);
  }
}
