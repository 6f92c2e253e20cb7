package org.sipline.examples.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The example's command line, checked before anything starts. */
record Options(
    String registrar,
    String user,
    String password,
    String callee,
    byte[] prompt,
    String backend,
    String bindAddress,
    Duration timeout) {

  static final String USAGE =
      "usage: embedded-call --registrar HOST:PORT --user USER --password-file FILE"
          + " --callee USER@HOST[:PORT] --prompt FILE.wav"
          + " [--backend NAME] [--bind ADDRESS] [--timeout SECONDS]";

  private static final List<String> NAMES =
      List.of(
          "--registrar",
          "--user",
          "--password-file",
          "--callee",
          "--prompt",
          "--backend",
          "--bind",
          "--timeout");

  /** The options in {@code args}; an {@link IllegalArgumentException} names what is wrong. */
  static Options parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(name + ": needs a value");
      }
      if (given.put(name, args[++i]) != null) {
        throw new IllegalArgumentException(name + ": given twice");
      }
    }
    int seconds;
    try {
      seconds = Integer.parseInt(given.getOrDefault("--timeout", "30"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--timeout: not a number of seconds", e);
    }
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("--timeout: " + seconds + " not in 1..3600 seconds");
    }
    return new Options(
        required(given, "--registrar"),
        required(given, "--user"),
        // A password file rather than a flag: flags show in `ps`.
        read(required(given, "--password-file"), "--password-file").strip(),
        required(given, "--callee"),
        readBytes(required(given, "--prompt"), "--prompt"),
        given.getOrDefault("--backend", "jainsip"),
        given.getOrDefault("--bind", "127.0.0.1"),
        Duration.ofSeconds(seconds));
  }

  /** The account's address of record: the user at the registrar's domain. */
  String accountName() {
    return user + "@" + registrar;
  }

  private static String required(Map<String, String> given, String name) {
    String value = given.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + ": required");
    }
    return value;
  }

  private static String read(String file, String name) {
    return new String(readBytes(file, name), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(String file, String name) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": cannot read " + file + ": " + e, e);
    }
  }
}
