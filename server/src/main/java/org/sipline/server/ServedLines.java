package org.sipline.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sipline.core.Line;

/** The lines a server hosts, by name and in configured order; the first is the default line. */
final class ServedLines {
  private final Map<String, Line> byName;
  private final List<String> names;
  private final List<Line> lines;

  /**
   * @param byName the lines in configured order, the default first; at least one
   */
  ServedLines(Map<String, Line> byName) {
    if (byName.isEmpty()) {
      throw new IllegalArgumentException("no line");
    }
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    this.names = List.copyOf(byName.keySet());
    this.lines = List.copyOf(byName.values());
  }

  /** A server of one line (tests, embedding). */
  static ServedLines of(String name, Line line) {
    Map<String, Line> one = new LinkedHashMap<>();
    one.put(name, line);
    return new ServedLines(one);
  }

  Line defaultLine() {
    return lines.get(0);
  }

  /** The line named {@code name}, or null. */
  Line byName(String name) {
    return byName.get(name);
  }

  /** The line at {@code index} in configured order, or null. */
  Line byIndex(int index) {
    return index >= 0 && index < lines.size() ? lines.get(index) : null;
  }

  List<String> names() {
    return names;
  }

  List<Line> all() {
    return new ArrayList<>(lines);
  }

  int size() {
    return lines.size();
  }
}
