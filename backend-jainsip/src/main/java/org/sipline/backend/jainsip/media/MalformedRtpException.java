package org.sipline.backend.jainsip.media;

/**
 * A datagram that is not a valid RTP packet; the message names the field and the sizes.
 *
 * <p>It describes untrusted input, not a bug, and may arrive in floods, so it carries no stack
 * trace.
 */
final class MalformedRtpException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedRtpException(String message) {
    super(message, null, false, false);
  }
}
