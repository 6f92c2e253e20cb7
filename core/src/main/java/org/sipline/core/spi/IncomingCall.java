package org.sipline.core.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What an incoming INVITE said about itself.
 *
 * @param caller the From address
 * @param callerDisplayName the From display name, or ""
 * @param headers the INVITE's headers, name → value (several values joined with ", ")
 */
public record IncomingCall(SipUri caller, String callerDisplayName, Map<String, String> headers) {
  /**
   * Checks that a caller is given, makes a null display name "", and keeps its own copy of the
   * headers.
   *
   * @param caller the From address
   * @param callerDisplayName the From display name, or ""
   * @param headers the INVITE's headers, name → value (several values joined with ", ")
   */
  public IncomingCall {
    Objects.requireNonNull(caller, "caller");
    callerDisplayName = callerDisplayName == null ? "" : callerDisplayName;
    headers = Map.copyOf(headers);
  }
}
