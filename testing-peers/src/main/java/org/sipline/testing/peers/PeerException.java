package org.sipline.testing.peers;

/**
 * A SIP peer fixture could not do what a test asked: the program is missing, did not start, did not
 * become ready, or did not answer in time. The message names the peer and, when the program wrote
 * one, ends with the tail of its log so a failing test shows why.
 */
public final class PeerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PeerException(String message) {
    super(message);
  }

  public PeerException(String message, Throwable cause) {
    super(message, cause);
  }
}
