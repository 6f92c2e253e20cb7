package org.sipline.core.hardening;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Strings an attacker or a buggy client would send in a request: every Unicode character (unpaired
 * surrogates included), the characters that end or split a SIP line, known header injection
 * attempts, and very long values — mixed with valid inputs and their one- and two-character
 * mutations so that the edge of validity is explored too.
 */
final class HostileInputs {
  /** What ends a line or a field somewhere: CR, LF, NUL, NEL, LS, PS, and SIP's delimiters. */
  static final String BREAKERS =
      "\r\n\0\t \u000b\u000c\u0085\u2028\u2029\u007f\u009b" + "<>\"',;:@?&=+$/#[]{}|\\^~`%";

  /** Payloads that would forge a header or a second message if they reached the wire raw. */
  private static final List<String> INJECTIONS =
      List.of(
          "\r\nVia: SIP/2.0/UDP evil.example;branch=z9hG4bKevil",
          "\r\n\r\nINVITE sip:victim@example.org SIP/2.0\r\n",
          "\nContact: <sip:attacker@evil.example>",
          "\rMax-Forwards: 0",
          " \r\n X-Folded: yes",
          "%0d%0aVia: SIP/2.0/UDP evil",
          "\u0000",
          "\u2028Record-Route: <sip:evil>",
          ">\r\nTo: <sip:evil@example.org",
          "\"\r\nFrom: x",
          "\ud800",
          "\udfff\ud800");

  private HostileInputs() {}

  /** Free text: header values, display names. */
  static Arbitrary<String> text(List<String> valid) {
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(60);
    Arbitrary<String> breakers =
        Arbitraries.strings().withChars(BREAKERS + "aZ09\u00e9\u260e\ud83d\ude00").ofMaxLength(40);
    Arbitrary<String> good = Arbitraries.of(valid);
    Arbitrary<String> injected =
        Combinators.combine(
                good, Arbitraries.of(INJECTIONS), Arbitraries.integers().between(0, 1 << 16))
            .as(HostileInputs::insert);
    Arbitrary<String> veryLong =
        Arbitraries.strings().withChars("aZ09 ;=<>@\t\u00e9").ofMinLength(900).ofMaxLength(2100);
    Arbitrary<String> longAny = Arbitraries.strings().all().ofMinLength(1000).ofMaxLength(1300);
    return Arbitraries.frequencyOf(
        Tuple.of(2, any),
        Tuple.of(3, breakers),
        Tuple.of(2, good),
        Tuple.of(4, mutations(good)),
        Tuple.of(2, mutations(mutations(good))),
        Tuple.of(3, injected),
        Tuple.of(1, veryLong),
        Tuple.of(1, longAny));
  }

  /** {@code s} with {@code payload} inserted at a position chosen by {@code where}. */
  static String insert(String s, String payload, int where) {
    int at = where % (s.length() + 1);
    return s.substring(0, at) + payload + s.substring(at);
  }

  private static Arbitrary<String> mutations(Arbitrary<String> base) {
    Arbitrary<Character> c = Arbitraries.chars().with((BREAKERS + "aZ9\u00e9\ud800").toCharArray());
    return Combinators.combine(
            base,
            Arbitraries.integers().between(0, 1 << 16),
            c,
            Arbitraries.integers().between(0, 2))
        .as(HostileInputs::mutate);
  }

  /** Inserts (0), replaces (1) or deletes (2) one character. */
  private static String mutate(String s, int where, char c, int kind) {
    if (s.isEmpty()) {
      return kind == 2 ? s : String.valueOf(c);
    }
    int at = where % s.length();
    return switch (kind) {
      case 0 -> s.substring(0, at) + c + s.substring(at);
      case 1 -> s.substring(0, at) + c + s.substring(at + 1);
      default -> s.substring(0, at) + s.substring(at + 1);
    };
  }
}
