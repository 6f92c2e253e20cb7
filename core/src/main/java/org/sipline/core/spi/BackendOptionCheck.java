package org.sipline.core.spi;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Holds a configuration's {@link BackendConfig#options()} to the options a backend declares: every
 * name must be declared and every value of the declared kind and range. Core runs it before any
 * backend starts (see {@link org.sipline.core.backends.Backends#start}); a backend may run it again
 * on its own start path, and adds there only the checks that involve more than one option or the
 * file system.
 */
public final class BackendOptionCheck {
  private BackendOptionCheck() {}

  /**
   * Checks {@code options} against {@code declared}.
   *
   * @param backend the backend's name, for the message
   * @throws IllegalArgumentException naming the first unknown option and listing the valid ones, or
   *     naming the first malformed one and what it should be
   * @param declared the options the backend takes
   * @param options the configured options, name to value
   */
  public static void check(
      String backend, Collection<BackendOption> declared, Map<String, String> options) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(declared, "declared");
    Objects.requireNonNull(options, "options");
    Map<String, BackendOption> byName = new HashMap<>();
    for (BackendOption o : declared) {
      if (byName.put(o.name(), o) != null) {
        throw new IllegalStateException(backend + " declares option '" + o.name() + "' twice");
      }
    }
    for (Map.Entry<String, String> e :
        options.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      BackendOption option = byName.get(e.getKey());
      if (option == null) {
        throw new IllegalArgumentException(unknown(backend, e.getKey(), byName));
      }
      String problem = option.problem(e.getValue());
      if (problem != null) {
        throw new IllegalArgumentException(
            backend
                + " option '"
                + option.name()
                + "': '"
                + e.getValue()
                + "' "
                + problem
                + "; want "
                + option.expected());
      }
    }
  }

  private static String unknown(String backend, String name, Map<String, BackendOption> byName) {
    String lowered = name.toLowerCase(Locale.ROOT);
    String hint =
        byName.values().stream()
            .filter(o -> o.lowerName().equals(lowered))
            .map(o -> " (did you mean '" + o.name() + "'?)")
            .findFirst()
            .orElse("");
    String valid =
        byName.isEmpty()
            ? backend + " takes no options"
            : "valid: "
                + byName.values().stream()
                    .sorted((a, b) -> a.name().compareTo(b.name()))
                    .map(BackendOption::toString)
                    .collect(Collectors.joining(", "));
    return "unknown " + backend + " option '" + name + "'" + hint + "; " + valid;
  }
}
