package org.sipline.backend.jainsip;

import java.text.ParseException;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WarningHeader;

/**
 * An SDP we could read but will not take: a request carrying it is answered 488 Not Acceptable Here
 * with a Warning that says why (RFC 3261 §21.4.26, §20.43), an answer carrying it ends the call
 * with that reason.
 */
final class UnacceptableSdp extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** RFC 3261 §20.43: "Incompatible network address formats". */
  static final int INCOMPATIBLE_ADDRESS = 301;

  /** RFC 3261 §20.43: "Incompatible transport protocol" (RTP/AVP where SRTP is needed, or back). */
  static final int INCOMPATIBLE_TRANSPORT = 302;

  /** RFC 3261 §20.43: "Attribute not understood" (no crypto line sipline can take). */
  static final int ATTRIBUTE_NOT_UNDERSTOOD = 306;

  private final int warnCode;

  UnacceptableSdp(int warnCode, String message) {
    super(message);
    this.warnCode = warnCode;
  }

  /** The Warning for a 488: the code, our pseudonym as the agent, the reason as its text. */
  WarningHeader warning(HeaderFactory headers) {
    // The text is a quoted-string that the RI writes as given; the reason quotes peer input.
    String text = getMessage().replaceAll("[\"\\\\\\p{Cntrl}]", "?");
    try {
      return headers.createWarningHeader("sipline", warnCode, text);
    } catch (ParseException | javax.sip.InvalidArgumentException e) {
      throw new IllegalStateException("Warning " + warnCode + " \"" + text + "\"", e);
    }
  }
}
