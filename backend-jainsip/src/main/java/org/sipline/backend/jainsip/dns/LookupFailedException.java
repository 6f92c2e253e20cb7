package org.sipline.backend.jainsip.dns;

/**
 * A server could not be located: the message names the name and record type looked up and what went
 * wrong ("DNS lookup of carrier.example (NAPTR) timed out"), ready for a call's status.
 */
public final class LookupFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  LookupFailedException(String message) {
    super(message);
  }
}
