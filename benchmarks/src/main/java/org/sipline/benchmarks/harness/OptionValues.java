package org.sipline.benchmarks.harness;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark mains' command-line values, read one way for all of them: each value checked and a
 * bad one refused naming its flag and what was wanted. The mains keep their own flags, defaults and
 * cross-checks; what they share is here.
 */
public final class OptionValues {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private OptionValues() {}

  /**
   * The value after flag {@code args[i]}.
   *
   * @throws IllegalArgumentException "FLAG: missing value", then {@code usage}, when there is none
   */
  public static String valueAfter(String[] args, int i, String usage) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + ": missing value\n" + usage);
    }
    return args[i + 1];
  }

  /** "unknown option FLAG", then {@code usage}. */
  public static IllegalArgumentException unknown(String name, String usage) {
    return new IllegalArgumentException("unknown option " + name + "\n" + usage);
  }

  /** A whole number in min..max; "FLAG: not a whole number: 'x'" or "FLAG: v out of range". */
  public static int wholeNumber(String name, String value, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a whole number: '" + value + "'", e);
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + ": " + v + " out of range " + min + ".." + max);
    }
    return v;
  }

  /** Comma-separated whole numbers in min..max, in the order given. */
  public static List<Integer> wholeNumbers(String name, String value, int min, int max) {
    List<Integer> numbers = new ArrayList<>();
    for (String part : value.split(",")) {
      numbers.add(wholeNumber(name, part.trim(), min, max));
    }
    return List.copyOf(numbers);
  }

  /** "true" or "false", any case. */
  public static boolean trueOrFalse(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + ": want true or false: '" + value + "'");
    };
  }

  /** One of {@code allowed}, exactly; "FLAG: want one of a, b: 'x'" otherwise. */
  public static String oneOf(String name, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        name + ": want one of " + String.join(", ", allowed) + ": '" + value + "'");
  }

  /** A comma-separated list of {@code allowed} values in the order given, each at most once. */
  public static List<String> distinctList(String name, String value, String... allowed) {
    List<String> values = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String v = oneOf(name, part.trim(), allowed);
      if (values.contains(v)) {
        throw new IllegalArgumentException(name + ": " + v + " given twice: '" + value + "'");
      }
      values.add(v);
    }
    return List.copyOf(values);
  }

  /** JVM flags separated by white space; none for a blank value. */
  public static List<String> jvmFlags(String value) {
    return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
  }

  /** The default results directory: {@code target/<prefix>-<local time>}. */
  public static Path timestamped(String prefix) {
    return Path.of(
        "target", prefix + "-" + LocalDateTime.now(ZoneId.systemDefault()).format(STAMP));
  }
}
