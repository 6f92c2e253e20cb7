package org.sipline.core.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One setting a backend accepts in {@link BackendConfig#options()}: its name, the kind of value it
 * takes and, for numbers, their range. A backend lists its own in {@link
 * SipBackendProvider#options()}; {@link BackendOptionCheck} holds every configuration to that list
 * before the backend starts, so a misspelt name or a bad value stops the start naming it, whichever
 * backend is chosen. The same setting has the same name on every backend that has it.
 *
 * @param name the name, lower case words joined by dots ({@code register.expires})
 * @param kind what the value must be
 * @param min the smallest number allowed ({@link Kind#INTEGER} only, else 0)
 * @param max the largest number allowed ({@link Kind#INTEGER} only, else 0)
 * @param words words allowed instead of a number ({@link Kind#INTEGER} only; e.g. {@code off})
 * @param description what it does, for error messages and help
 */
public record BackendOption(
    String name, Kind kind, long min, long max, Set<String> words, String description) {

  /** The kinds of value an option takes. */
  public enum Kind {
    /** A whole number within [min, max], or one of the listed words. */
    INTEGER,
    /** Any text, empty included (a password may be). */
    TEXT,
    /** A file system path (not blank); whether it exists is the backend's to check. */
    PATH,
    /**
     * IP address literals (IPv6 with or without brackets) separated by commas, semicolons or
     * spaces, or {@code *} for anyone. Host names are refused, so that reading one needs no DNS.
     */
    ADDRESSES
  }

  private static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9]*(\\.[a-z][a-zA-Z0-9]*)*");
  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /**
   * Checks the name's form (dotted lower camel case) and that the range is not empty.
   *
   * @param name the name, lower case words joined by dots ({@code register.expires})
   * @param kind what the value must be
   * @param min the smallest number allowed ({@link Kind#INTEGER} only, else 0)
   * @param max the largest number allowed ({@link Kind#INTEGER} only, else 0)
   * @param words words allowed instead of a number ({@link Kind#INTEGER} only; e.g. {@code off})
   * @param description what it does, for error messages and help
   */
  public BackendOption {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(description, "description");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "option name '" + name + "' is not dotted words (like register.expires)");
    }
    words = words == null ? Set.of() : Set.copyOf(words);
    if (kind == Kind.INTEGER && min > max) {
      throw new IllegalArgumentException("option " + name + ": range " + min + ".." + max);
    }
    if (kind != Kind.INTEGER && (min != 0 || max != 0 || !words.isEmpty())) {
      throw new IllegalArgumentException(
          "option " + name + ": only an INTEGER option has a range or words");
    }
  }

  /**
   * A whole number in {@code min..max}.
   *
   * @param name the option's name, e.g. {@code register.expires}
   * @param min the least value allowed
   * @param max the greatest value allowed
   * @param description what it sets, for the list of valid options
   * @return the option
   */
  public static BackendOption integer(String name, long min, long max, String description) {
    return new BackendOption(name, Kind.INTEGER, min, max, Set.of(), description);
  }

  /**
   * A whole number in {@code min..max}, or one of {@code words} (matched ignoring case).
   *
   * @param name the option's name
   * @param min the least number allowed
   * @param max the greatest number allowed
   * @param words the words allowed besides numbers
   * @param description what it sets, for the list of valid options
   * @return the option
   */
  public static BackendOption integerOr(
      String name, long min, long max, Set<String> words, String description) {
    return new BackendOption(name, Kind.INTEGER, min, max, words, description);
  }

  /**
   * Any text, empty included.
   *
   * @param name the option's name
   * @param description what it sets, for the list of valid options
   * @return the option
   */
  public static BackendOption text(String name, String description) {
    return new BackendOption(name, Kind.TEXT, 0, 0, Set.of(), description);
  }

  /**
   * A path to a file.
   *
   * @param name the option's name
   * @param description what it sets, for the list of valid options
   * @return the option
   */
  public static BackendOption path(String name, String description) {
    return new BackendOption(name, Kind.PATH, 0, 0, Set.of(), description);
  }

  /**
   * IP address literals, or {@code *}; see {@link Kind#ADDRESSES}.
   *
   * @param name the option's name
   * @param description what it sets, for the list of valid options
   * @return the option
   */
  public static BackendOption addresses(String name, String description) {
    return new BackendOption(name, Kind.ADDRESSES, 0, 0, Set.of(), description);
  }

  /**
   * What the value must be, as error messages say it: "an integer 1..86400", "a path".
   *
   * @return the expectation in words
   */
  public String expected() {
    return switch (kind) {
      case INTEGER ->
          "an integer "
              + min
              + ".."
              + max
              + (words.isEmpty() ? "" : " or " + String.join(" or ", new TreeSet<>(words)));
      case TEXT -> "text";
      case PATH -> "a path";
      case ADDRESSES -> "IP addresses (or *)";
    };
  }

  /**
   * Why {@code value} is not acceptable, or null when it is.
   *
   * @param value the value as configured
   * @return the problem in words, or null
   */
  public String problem(String value) {
    Objects.requireNonNull(value, "value");
    String v = value.strip();
    return switch (kind) {
      case INTEGER -> integerProblem(v);
      case TEXT -> null;
      case PATH -> v.isEmpty() ? "is empty" : null;
      case ADDRESSES -> addressesProblem(v);
    };
  }

  private String integerProblem(String v) {
    for (String w : words) {
      if (w.equalsIgnoreCase(v)) {
        return null;
      }
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      return "is not an integer";
    }
    return n < min || n > max ? "is outside " + min + ".." + max : null;
  }

  private static String addressesProblem(String v) {
    boolean any = false;
    for (String item : v.split("[,; ]")) {
      String s = item.strip();
      if (s.isEmpty()) {
        continue;
      }
      any = true;
      if (s.equals("*")) {
        continue;
      }
      String literal = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
      if (!IP_LITERAL.matcher(literal).matches() || !wellFormed(literal)) {
        return "holds '" + s + "', which is not an IP address (host names are not resolved)";
      }
    }
    return any ? null : "is empty";
  }

  /** Dotted quads of 0..255; IPv6 left to the backend's parser beyond its alphabet. */
  private static boolean wellFormed(String literal) {
    if (literal.contains(":")) {
      return true;
    }
    String[] parts = literal.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /** "register.expires (an integer 1..86400)". */
  @Override
  public String toString() {
    return name + " (" + expected() + ")";
  }

  /** The name as given lowered, for a hint when only the case is wrong. */
  String lowerName() {
    return name.toLowerCase(Locale.ROOT);
  }
}
