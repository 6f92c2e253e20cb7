package org.sipline.backend.jainsip.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The torture messages kept under {@code src/test/resources/hardening/}: one {@code .sip} file per
 * message in RFC 4475's notation ({@link RfcNotation}) and an {@code index.tsv} naming each with
 * its section, what a UA must do with it, and the SHA-256 of its bytes, so that a transcription
 * error shows as a digest mismatch instead of a different test.
 */
final class TortureCorpus {
  static final String RFC4475 = "hardening/rfc4475";
  static final String RFC5118 = "hardening/rfc5118";

  private TortureCorpus() {}

  static List<TortureMessage> rfc4475() {
    return load(RFC4475);
  }

  static List<TortureMessage> rfc5118() {
    return load(RFC5118);
  }

  static List<TortureMessage> all() {
    List<TortureMessage> all = new ArrayList<>(rfc4475());
    all.addAll(rfc5118());
    return all;
  }

  /** Every message of {@code dir}'s index, each checked against its digest. */
  static List<TortureMessage> load(String dir) {
    List<TortureMessage> out = new ArrayList<>();
    for (String row : read(dir + "/index.tsv").split("\n")) {
      if (row.isBlank() || row.startsWith("#")) {
        continue;
      }
      String[] f = row.split("\t");
      if (f.length != 5) {
        throw new IllegalStateException(
            dir + "/index.tsv: want 5 columns, got " + f.length + ": " + row);
      }
      byte[] bytes = RfcNotation.expand(read(dir + "/" + f[0]));
      String digest = sha256(bytes);
      if (!digest.equals(f[3])) {
        throw new IllegalStateException(
            dir + "/" + f[0] + " expands to SHA-256 " + digest + ", the index says " + f[3]);
      }
      if (dir.equals(RFC5118)) {
        bytes = framed(bytes);
      }
      out.add(
          new TortureMessage(
              f[0].replaceFirst("\\.sip$", ""),
              f[1],
              TortureMessage.Expectation.parse(f[2]),
              f[4],
              bytes));
    }
    return out;
  }

  /**
   * An RFC 5118 message as it would be sent: its header block ended by an empty line and its
   * Content-Length counting the body. RFC 5118's archive ends two messages (§4.10) without the
   * empty line, and its Content-Length values match neither LF nor CRLF line ends (§4.6 says 268
   * for a 251-octet body); RFC 5118 tests IPv6 references, not framing, which RFC 4475 §3.1.2.2 and
   * §3.1.2.3 cover as they are written.
   */
  static byte[] framed(byte[] message) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      text = text + "\r\n";
      end = text.length() - 4;
    }
    String head = text.substring(0, end);
    String body = text.substring(end + 4);
    head = head.replaceAll("(?im)^(content-length|l)([ \t]*:[ \t]*)\\d+", "$1$2" + body.length());
    return (head + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = TortureCorpus.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
