package org.sipline.backend.pjsip;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the loaded pjproject is the one the shim was compiled against. pjsua's structs change
 * layout between releases while the library keeps its .so.2 name, so any difference is fatal: the
 * shim would read and write the wrong offsets.
 */
final class VersionCheck {
  /** The oldest pjproject the shim is written for. */
  static final int MIN_MAJOR = 2;

  static final int MIN_MINOR = 14;

  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(.*)");

  private VersionCheck() {}

  /** Why the pair can't work together, or empty when it can. */
  static Optional<String> problem(String compiled, String runtime) {
    Matcher c = VERSION.matcher(String.valueOf(compiled));
    if (!c.matches()) {
      return Optional.of(
          "libsiplinepj reports an unreadable compiled-against version: \"" + compiled + "\"");
    }
    if (runtime == null || !VERSION.matcher(runtime).matches()) {
      return Optional.of("libpj reports an unreadable version: \"" + runtime + "\"");
    }
    if (!compiled.equals(runtime)) {
      return Optional.of(
          "pjsua version "
              + runtime
              + " loaded, but libsiplinepj was compiled"
              + " against "
              + compiled
              + "; rebuild the shim against the installed pjproject");
    }
    int major = Integer.parseInt(c.group(1));
    int minor = Integer.parseInt(c.group(2));
    if (major < MIN_MAJOR || (major == MIN_MAJOR && minor < MIN_MINOR)) {
      return Optional.of(
          "pjproject "
              + compiled
              + " is older than "
              + MIN_MAJOR
              + "."
              + MIN_MINOR
              + ", the oldest sipline supports");
    }
    return Optional.empty();
  }
}
