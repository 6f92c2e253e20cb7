package org.sipline.core.hardening;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * RFC 3261's grammar for the pieces a request turns into, written independently of the code under
 * test: what a SIP parser on the other side will accept as one header line or one URI.
 */
final class WireGrammar {
  /** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-.!%*_+`'~]+");

  private static final String UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
  private static final String ESCAPED = "%[0-9A-Fa-f]{2}";
  private static final String USER = "(?:[" + UNRESERVED + "&=+$,;?/]|" + ESCAPED + ")+";
  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?";
  private static final String HOSTNAME =
      "(?:" + LABEL + "\\.)*[A-Za-z](?:[A-Za-z0-9\\-]*" + "[A-Za-z0-9])?\\.?";
  private static final String IPV4 = "\\d{1,3}(?:\\.\\d{1,3}){3}";
  private static final String IPV6_REFERENCE = "\\[[0-9A-Fa-f:.]+\\]";
  private static final String HOST = "(?:" + HOSTNAME + "|" + IPV4 + "|" + IPV6_REFERENCE + ")";
  private static final String PARAM_CHARS = "(?:[" + UNRESERVED + "\\[\\]/:&+$]|" + ESCAPED + ")+";
  private static final String PARAM = ";" + PARAM_CHARS + "(?:=" + PARAM_CHARS + ")?";

  /** SIP-URI / SIPS-URI without URI headers (which sipline never sends). */
  static final Pattern SIP_URI =
      Pattern.compile("sips?:(?:" + USER + "@)?" + HOST + "(?::\\d{1,5})?(?:" + PARAM + ")*");

  private WireGrammar() {}

  /**
   * Whether {@code name: value CRLF} is exactly one well-formed header line: a token name, and a
   * value of TEXT-UTF8 and LWS with no line break, no control other than HTAB, no leading or
   * trailing white space (a leading one would be read as the previous line's continuation), and
   * valid UTF-8 when encoded.
   */
  static String headerLineProblem(String name, String value) {
    if (!TOKEN.matcher(name).matches()) {
      return "name is not a token";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        return "line break in value at " + i;
      }
      if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
        return "control character U+" + Integer.toHexString(c) + " at " + i;
      }
      if (c == '\u2028' || c == '\u2029') {
        return "Unicode line separator at " + i;
      }
    }
    if (!value.isEmpty() && (isLws(value.charAt(0)) || isLws(value.charAt(value.length() - 1)))) {
      return "value starts or ends with white space";
    }
    try {
      StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(value));
    } catch (CharacterCodingException e) {
      return "value is not encodable as UTF-8 (unpaired surrogate)";
    }
    return null;
  }

  private static boolean isLws(char c) {
    return c == ' ' || c == '\t';
  }
}
