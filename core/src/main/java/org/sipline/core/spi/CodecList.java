package org.sipline.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The backend option that orders a call's audio codecs ({@code --codecs}): names, comma-separated,
 * most preferred first; the order a backend offers them in and its preference when it answers. A
 * backend that takes it declares {@link #DECLARATION} and checks the names it knows; one that does
 * not take it refuses the option at start, as any unknown option.
 */
public final class CodecList {
  /** The option's name. */
  public static final String OPTION = "codecs";

  /** G.711 µ-law. */
  public static final String PCMU = "pcmu";

  /** G.711 A-law. */
  public static final String PCMA = "pcma";

  /** G.722 (16 kHz audio). */
  public static final String G722 = "g722";

  /** Opus (RFC 7587). */
  public static final String OPUS = "opus";

  /** Every codec name, in the default order. */
  public static final List<String> NAMES = List.of(OPUS, G722, PCMU, PCMA);

  /** How a backend declares the option. */
  public static final BackendOption DECLARATION =
      BackendOption.text(
          OPTION,
          "audio codecs in order of preference, comma-separated, from opus, g722, pcmu, pcma"
              + " (all of them the backend can run here when not given)");

  private CodecList() {}

  /**
   * Reads the option's value, the same way on every backend: names, comma-separated, most preferred
   * first, case and spaces around a name ignored.
   *
   * @param value the option's value
   * @param availability whether the backend can run a codec here, by name (with the reason when it
   *     cannot)
   * @return the names in the given order, lower-case
   * @throws IllegalArgumentException naming an unknown or repeated codec (and the valid ones), or
   *     one that is not available here (with the reason)
   */
  public static List<String> parse(String value, Function<String, Availability> availability) {
    List<String> list = new ArrayList<>();
    for (String name : value.split(",", -1)) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      if (!NAMES.contains(n)) {
        throw new IllegalArgumentException(
            "option '"
                + OPTION
                + "': unknown codec '"
                + name.strip()
                + "' (valid: "
                + String.join(", ", NAMES)
                + ")");
      }
      if (list.contains(n)) {
        throw new IllegalArgumentException("option '" + OPTION + "': '" + n + "' is given twice");
      }
      Availability a = availability.apply(n);
      if (!a.available()) {
        throw new IllegalArgumentException(
            "option '" + OPTION + "': " + n + " is not available here: " + a.reason());
      }
      list.add(n);
    }
    return List.copyOf(list);
  }

  /**
   * The list without the option: every codec of {@link #NAMES} the backend can run here, in that
   * order.
   *
   * @param availability whether the backend can run a codec here, by name
   * @return the available names in the default order
   */
  public static List<String> defaults(Function<String, Availability> availability) {
    List<String> list = new ArrayList<>();
    for (String n : NAMES) {
      if (availability.apply(n).available()) {
        list.add(n);
      }
    }
    return List.copyOf(list);
  }
}
