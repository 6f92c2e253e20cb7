package org.sipline.backend.jainsip.hardening;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the notation RFC 4475 §2 uses to print messages that can't be printed as they are, so
 * that test messages can be kept in the RFC's own form:
 *
 * <ul>
 *   <li>every line of the text is one line of the message, ended by CRLF on the wire (a text
 *       without a final newline gives a message without a final CRLF);
 *   <li>lines between {@code <allOneLine>} and {@code </allOneLine>} (each tag alone on its line)
 *       are one line of the message, joined with nothing between them (§2.1);
 *   <li>{@code <hex>0d0a</hex>} stands for the bytes its hex digits spell (§2.2);
 *   <li>{@code <repeat count=300>a</repeat>} stands for its text repeated (§2.3).
 * </ul>
 *
 * Any other character is itself; the text must be printable ASCII apart from its newlines.
 */
final class RfcNotation {
  private static final Pattern INLINE =
      Pattern.compile("<hex>([0-9A-Fa-f ]*)</hex>|<repeat count=(\\d{1,6})>(.*?)</repeat>");
  private static final String ALL_ONE_LINE = "<allOneLine>";
  private static final String END_ALL_ONE_LINE = "</allOneLine>";

  private RfcNotation() {}

  /** The message's bytes; malformed notation throws naming the line. */
  static byte[] expand(String text) {
    boolean finalNewline = text.endsWith("\n");
    String[] lines = (finalNewline ? text.substring(0, text.length() - 1) : text).split("\n", -1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder joined = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      checkPrintable(line, i + 1);
      boolean last = i == lines.length - 1;
      if (line.equals(ALL_ONE_LINE)) {
        if (joined != null) {
          throw new IllegalArgumentException("line " + (i + 1) + ": nested " + ALL_ONE_LINE);
        }
        joined = new StringBuilder();
        continue;
      }
      if (line.equals(END_ALL_ONE_LINE)) {
        if (joined == null) {
          throw new IllegalArgumentException(
              "line " + (i + 1) + ": " + END_ALL_ONE_LINE + " without " + ALL_ONE_LINE);
        }
        inline(joined.toString(), i + 1, out);
        joined = null;
        if (!last || finalNewline) {
          out.writeBytes(new byte[] {'\r', '\n'});
        }
        continue;
      }
      if (joined != null) {
        joined.append(line);
        continue;
      }
      inline(line, i + 1, out);
      if (!last || finalNewline) {
        out.writeBytes(new byte[] {'\r', '\n'});
      }
    }
    if (joined != null) {
      throw new IllegalArgumentException(ALL_ONE_LINE + " not closed");
    }
    return out.toByteArray();
  }

  private static void inline(String line, int number, ByteArrayOutputStream out) {
    Matcher m = INLINE.matcher(line);
    int at = 0;
    while (m.find()) {
      out.writeBytes(line.substring(at, m.start()).getBytes(StandardCharsets.US_ASCII));
      if (m.group(1) != null) {
        String hex = m.group(1).replace(" ", "");
        if (hex.length() % 2 != 0) {
          throw new IllegalArgumentException(
              "line " + number + ": odd number of hex digits in " + m.group());
        }
        for (int i = 0; i < hex.length(); i += 2) {
          out.write(Integer.parseInt(hex, i, i + 2, 16));
        }
      } else {
        byte[] unit = m.group(3).getBytes(StandardCharsets.US_ASCII);
        int count = Integer.parseInt(m.group(2));
        for (int i = 0; i < count; i++) {
          out.writeBytes(unit);
        }
      }
      at = m.end();
    }
    String rest = line.substring(at);
    if (rest.contains("<hex>") || rest.contains("<repeat")) {
      throw new IllegalArgumentException("line " + number + ": unclosed tag in " + rest);
    }
    out.writeBytes(rest.getBytes(StandardCharsets.US_ASCII));
  }

  private static void checkPrintable(String line, int number) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            String.format(
                "line %d column %d: U+%04X is not printable ASCII (write it as <hex>)",
                number, i + 1, (int) c));
      }
    }
  }
}
