package org.sipline.core.sip;

/**
 * Phone numbers as people type them ({@code +43 1 234-56}, {@code (01) 234 56}) and as {@code tel:}
 * URIs carry them (RFC 3966): digits, an optional leading {@code '+'}, and visual separators {@code
 * space - . ( )} that are dropped.
 */
final class PhoneNumber {
  /** More than E.164's 15 digits, to leave room for prefixes and extensions dialled inline. */
  static final int MAX_DIGITS = 32;

  private PhoneNumber() {}

  static boolean separator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
  }

  /**
   * Whether a bare target is meant as a phone number: only digits and separators with an optional
   * leading '+', and a '+' or at least one separator. Digits alone stay a user name: an extension
   * like {@code 100} is called as {@code sip:100@domain}, without {@code user=phone}.
   */
  static boolean looksLikeOne(String s) {
    String stripped = strip(s);
    return isNumber(stripped) && (stripped.charAt(0) == '+' || stripped.length() < s.length());
  }

  /** The number as it goes into a user part: {@code ["+"] 1*DIGIT}. */
  static String normalize(Input in, String s) {
    String number = strip(s);
    if (!isNumber(number)) {
      throw in.fail(
          "phone number "
              + Quote.single(s)
              + " may hold only digits, a leading '+' and the separators - . ( ) and space");
    }
    int digits = number.charAt(0) == '+' ? number.length() - 1 : number.length();
    if (digits > MAX_DIGITS) {
      throw in.fail("phone number has " + digits + " digits > " + MAX_DIGITS);
    }
    return number;
  }

  private static String strip(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!separator(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isNumber(String s) {
    int start = s.startsWith("+") ? 1 : 0;
    if (s.length() <= start) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (!Chars.digit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
