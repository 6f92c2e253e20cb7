package org.sipline.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bearer tokens a server accepts. Only their SHA-256 digests are kept, and a presented token is
 * compared with every one of them in constant time, so neither timing nor a heap dump gives a token
 * away. Nothing here ever logs or prints a token.
 */
final class BearerTokens {
  /** RFC 6750's b64token. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private final List<byte[]> digests;

  private BearerTokens(List<byte[]> digests) {
    this.digests = digests;
  }

  /**
   * Reads one token per line; blank lines and lines starting with {@code #} are skipped.
   *
   * @throws InvalidConfigException naming {@code --token-file} when the file is unreadable, holds
   *     no token, or a line is not a token (the line number is given, never its content)
   */
  static BearerTokens load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConfigException("--token-file", file + " cannot be read: " + e.getMessage());
    }
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!TOKEN.matcher(line).matches()) {
        throw new InvalidConfigException(
            "--token-file",
            file
                + " line "
                + (i + 1)
                + " is not a bearer token (allowed: letters, digits, - . _ ~ + / and trailing =)");
      }
      digests.add(sha256(line));
    }
    if (digests.isEmpty()) {
      throw new InvalidConfigException("--token-file", file + " holds no token");
    }
    return new BearerTokens(List.copyOf(digests));
  }

  /** Whether {@code presented} is one of the tokens; takes the same time whichever it matches. */
  boolean accepts(String presented) {
    byte[] digest = sha256(presented);
    boolean match = false;
    for (byte[] d : digests) {
      match |= MessageDigest.isEqual(d, digest);
    }
    return match;
  }

  int size() {
    return digests.size();
  }

  @Override
  public String toString() {
    return "BearerTokens[" + digests.size() + " tokens]";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
