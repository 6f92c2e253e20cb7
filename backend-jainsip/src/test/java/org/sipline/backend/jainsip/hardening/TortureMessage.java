package org.sipline.backend.jainsip.hardening;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One test message of RFC 4475 or RFC 5118, as it goes on the wire.
 *
 * @param name the file name without ".sip" (RFC 4475's own message names: wsinv, clerr, ...)
 * @param section the RFC section that defines it
 * @param expect what RFC 3261 (as the section reads it) asks of a user agent that receives it
 * @param title the section's title
 * @param bytes the message
 */
record TortureMessage(String name, String section, Expectation expect, String title, byte[] bytes) {

  /** What a user agent may answer, by the section's own words. */
  enum Kind {
    /** A well-formed request: one final response, not 400 (unless {@code codes} allows it). */
    ANSWER,
    /**
     * Malformed, but the section says rejecting with 400 is reasonable and an element "liberal in
     * what it accepts" may go on: 400, no answer, or a normal final response.
     */
    LENIENT,
    /** Malformed: 400 Bad Request (or a code in {@code codes}), or dropped. */
    REJECT,
    /** A response without a transaction of ours: dropped, nothing sent back. */
    RESPONSE,
    /** A well-formed request the section says must get exactly one of {@code codes}. */
    CODE
  }

  /**
   * @param kind the kind of answer
   * @param codes further status codes the section allows (REJECT, ANSWER) or requires (CODE)
   */
  record Expectation(Kind kind, Set<Integer> codes) {
    /** Reads the index's form: answer, answer+400, lenient, reject, reject+505, code:416/404. */
    static Expectation parse(String text) {
      String[] kindAndCodes = text.split("[+:]", 2);
      Kind kind = Kind.valueOf(kindAndCodes[0].toUpperCase(java.util.Locale.ROOT));
      Set<Integer> codes =
          kindAndCodes.length == 1
              ? Set.of()
              : Arrays.stream(kindAndCodes[1].split("/"))
                  .map(Integer::valueOf)
                  .collect(Collectors.toUnmodifiableSet());
      if (kind == Kind.CODE && codes.isEmpty()) {
        throw new IllegalArgumentException("code: needs at least one status code: " + text);
      }
      return new Expectation(kind, codes);
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT) + (codes.isEmpty() ? "" : codes);
    }
  }

  /** Whether the message is a request (its start line doesn't begin with "SIP/"). */
  boolean isRequest() {
    return !(bytes.length >= 4
        && bytes[0] == 'S'
        && bytes[1] == 'I'
        && bytes[2] == 'P'
        && bytes[3] == '/');
  }

  String text() {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return name
        + " (RFC "
        + (section.startsWith("4.") ? "5118" : "4475")
        + " §"
        + section
        + " "
        + title
        + ")";
  }
}
