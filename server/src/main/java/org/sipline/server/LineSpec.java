package org.sipline.server;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One named line a server hosts, and optionally the account it registers and starts a session for
 * at boot. The first line of a server is its default line: the one a request without {@code
 * x-sipline-line} header and without a line port of its own reaches.
 *
 * @param name the line's name, e.g. {@code line-7}: letters, digits, '.', '_', '-'; at most 64
 * @param account what to register and start at boot, or null for a line driven only over gRPC
 */
public record LineSpec(String name, LineAccount account) {
  /** More lines than this in one process is a typo, not a deployment (issue 13 sizes 1000). */
  public static final int MAX_LINES = 10_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public LineSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: "
              + (name == null ? "missing" : "'" + printable(name) + "'")
              + " is not a line name (letters, digits, '.', '_', '-'; at most 64, "
              + "starting with a letter or digit)");
    }
  }

  /** A line without a boot account. */
  public static LineSpec named(String name) {
    return new LineSpec(name, null);
  }

  /** {@code line-0} … {@code line-(count-1)}, none with a boot account ({@code --lines}). */
  static List<LineSpec> numbered(int count) {
    if (count < 1 || count > MAX_LINES) {
      throw new InvalidConfigException("--lines", count + " is outside 1.." + MAX_LINES);
    }
    List<LineSpec> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lines.add(named("line-" + i));
    }
    return List.copyOf(lines);
  }

  /** The single line of a server started without {@code --lines} or {@code --lines-file}. */
  static List<LineSpec> single() {
    return List.of(named("line-0"));
  }

  static String printable(String s) {
    String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
