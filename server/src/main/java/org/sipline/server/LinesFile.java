package org.sipline.server;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.sip.SipAddresses;

/**
 * Reads {@code --lines-file}: one line per text line, the name first, then optional {@code
 * key=value} fields separated by blanks; {@code #} starts a comment, blank lines are skipped.
 *
 * <pre>
 * # name   fields
 * support  account=alice@pbx.example.org password-file=/run/secrets/alice auto-answer=2
 * line-7   account=bob@pbx.example.org password-file=bob.pw outbound-proxy=sip:edge.example.org;lr
 * spare
 * </pre>
 *
 * <p>Fields: {@code account} (as SipRegisterAccount's account_name), {@code password-file} (its
 * content, without the final line break, is the password; relative to the lines file), {@code
 * auth-username}, {@code outbound-proxy}, {@code auto-answer} (seconds, 0..3600, default 0). A line
 * with an account registers it and starts its session at boot. Several lines naming the same
 * account share it as a trunk identity (registered once; each INVITE goes to the first free line);
 * they must give it the same password, auth-username and outbound-proxy. Every refusal is an {@link
 * InvalidConfigException} of {@code --lines-file} naming the file's line number, the line and the
 * field.
 */
final class LinesFile {
  static final String FLAG = "--lines-file";
  private static final int MAX_AUTO_ANSWER_SECONDS = 3600;
  private static final long MAX_PASSWORD_FILE_BYTES = 4096;
  private static final Set<String> FIELDS =
      Set.of("account", "password-file", "auth-username", "outbound-proxy", "auto-answer");

  private LinesFile() {}

  static List<LineSpec> read(Path file) {
    List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw new InvalidConfigException(FLAG, file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new InvalidConfigException(FLAG, file + " cannot be read (" + e + ")");
    }
    Map<String, Integer> seen = new HashMap<>();
    Map<String, Map.Entry<Integer, LineSpec>> shared = new HashMap<>();
    List<LineSpec> lines = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      int number = i + 1;
      String entry = text.get(i);
      int hash = entry.indexOf('#');
      if (hash >= 0) {
        entry = entry.substring(0, hash);
      }
      entry = entry.strip();
      if (entry.isEmpty()) {
        continue;
      }
      LineSpec line = parse(file, number, entry.split("\\s+"));
      Integer before = seen.putIfAbsent(line.name(), number);
      if (before != null) {
        throw new InvalidConfigException(
            FLAG,
            at(file, number, line.name())
                + "name: duplicate, line '"
                + line.name()
                + "' is already defined on line "
                + before);
      }
      requireSharedAlike(file, number, line, shared);
      lines.add(line);
      if (lines.size() > LineSpec.MAX_LINES) {
        throw new InvalidConfigException(
            FLAG, file + " defines more than " + LineSpec.MAX_LINES + " lines");
      }
    }
    if (lines.isEmpty()) {
      throw new InvalidConfigException(FLAG, file + " defines no line");
    }
    return List.copyOf(lines);
  }

  /**
   * Lines naming the same account share it as a trunk identity (one registration, each INVITE to
   * the first free line); that works only if they all give it the same credentials and proxy.
   */
  private static void requireSharedAlike(
      Path file, int number, LineSpec line, Map<String, Map.Entry<Integer, LineSpec>> shared) {
    LineAccount a = line.account();
    if (a == null) {
      return;
    }
    String aor = SipAddresses.parseAccount("account", a.account()).addressOfRecord();
    Map.Entry<Integer, LineSpec> first = shared.putIfAbsent(aor, Map.entry(number, line));
    if (first == null) {
      return;
    }
    LineAccount b = first.getValue().account();
    String field =
        !a.password().equals(b.password())
            ? "password-file"
            : !a.authUsername().equals(b.authUsername())
                ? "auth-username"
                : !a.outboundProxy().equals(b.outboundProxy()) ? "outbound-proxy" : null;
    if (field != null) {
      throw new InvalidConfigException(
          FLAG,
          at(file, number, line.name())
              + field
              + ": account "
              + aor
              + " is shared with line '"
              + first.getValue().name()
              + "' (line "
              + first.getKey()
              + ") but its "
              + field
              + " differs; lines share an account only when they give it alike");
    }
  }

  private static LineSpec parse(Path file, int number, String[] tokens) {
    String name = tokens[0];
    try {
      LineSpec.named(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(FLAG, at(file, number, null) + e.getMessage());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int t = 1; t < tokens.length; t++) {
      String token = tokens[t];
      int eq = token.indexOf('=');
      String key = eq < 0 ? token : token.substring(0, eq);
      if (eq < 0 || !FIELDS.contains(key)) {
        throw new InvalidConfigException(
            FLAG,
            at(file, number, name)
                + "'"
                + LineSpec.printable(key)
                + "' is not a field (key=value; fields: account, password-file, auth-username,"
                + " outbound-proxy, auto-answer)");
      }
      if (fields.put(key, token.substring(eq + 1)) != null) {
        throw new InvalidConfigException(FLAG, at(file, number, name) + key + ": given twice");
      }
    }
    if (fields.isEmpty()) {
      return LineSpec.named(name);
    }
    String account = fields.get("account");
    if (account == null) {
      throw new InvalidConfigException(
          FLAG,
          at(file, number, name)
              + "account: missing; "
              + String.join(", ", fields.keySet())
              + " need an account");
    }
    try {
      SipAddresses.parseAccount("account", account);
      SipAddresses.parseProxy("outbound-proxy", fields.get("outbound-proxy"));
    } catch (InvalidArgumentException e) {
      throw new InvalidConfigException(FLAG, at(file, number, name) + e.getMessage());
    }
    String password = "";
    String passwordFile = fields.get("password-file");
    if (passwordFile != null) {
      password = password(file, number, name, passwordFile);
    }
    return new LineSpec(
        name,
        new LineAccount(
            account,
            password,
            fields.get("auth-username"),
            fields.get("outbound-proxy"),
            autoAnswer(file, number, name, fields.get("auto-answer"))));
  }

  private static String password(Path file, int number, String name, String value) {
    Path base = file.toAbsolutePath().getParent();
    Path passwordFile = base == null ? Path.of(value) : base.resolve(value);
    try {
      if (!Files.isRegularFile(passwordFile)) {
        throw new IOException("not a regular file");
      }
      if (Files.size(passwordFile) > MAX_PASSWORD_FILE_BYTES) {
        throw new IOException("larger than " + MAX_PASSWORD_FILE_BYTES + " bytes");
      }
      String password = Files.readString(passwordFile, StandardCharsets.UTF_8);
      // An editor's or `echo`'s final line break is not part of the password.
      if (password.endsWith("\n")) {
        password = password.substring(0, password.length() - 1);
      }
      if (password.endsWith("\r")) {
        password = password.substring(0, password.length() - 1);
      }
      return password;
    } catch (IOException | RuntimeException e) {
      throw new InvalidConfigException(
          FLAG,
          at(file, number, name)
              + "password-file: "
              + passwordFile
              + " cannot be read ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")");
    }
  }

  private static int autoAnswer(Path file, int number, String name, String value) {
    if (value == null) {
      return 0;
    }
    try {
      int seconds = Integer.parseInt(value);
      if (seconds >= 0 && seconds <= MAX_AUTO_ANSWER_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // refused below with the value
    }
    throw new InvalidConfigException(
        FLAG,
        at(file, number, name)
            + "auto-answer: '"
            + LineSpec.printable(value)
            + "' is not a number of seconds in 0.."
            + MAX_AUTO_ANSWER_SECONDS);
  }

  /** {@code "lines.txt:3, line 'line-7': "}, the start of every refusal. */
  private static String at(Path file, int number, String name) {
    return file + ":" + number + (name == null ? "" : ", line '" + name + "'") + ": ";
  }
}
