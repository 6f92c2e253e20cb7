package org.sipline.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.sipline.core.Line;

/**
 * The lines a server hosts, by name and in order (configured ones first, then those CreateLine
 * added); the first is the default line and stays. Lines with a gRPC port of their own ({@code
 * --line-ports}) are the configured ones, by index.
 */
final class ServedLines {
  // Guarded by this.
  private final Map<String, Line> byName = new LinkedHashMap<>();
  private final List<String> configured;
  private final String defaultName;
  private final List<BiConsumer<String, Line>> onAdded = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, Line>> onRemoved = new CopyOnWriteArrayList<>();

  /**
   * @param byName the lines in configured order, the default first; at least one
   */
  ServedLines(Map<String, Line> byName) {
    if (byName.isEmpty()) {
      throw new IllegalArgumentException("no line");
    }
    this.byName.putAll(byName);
    this.configured = List.copyOf(byName.keySet());
    this.defaultName = configured.get(0);
  }

  /** A server of one line (tests, embedding). */
  static ServedLines of(String name, Line line) {
    Map<String, Line> one = new LinkedHashMap<>();
    one.put(name, line);
    return new ServedLines(one);
  }

  synchronized Line defaultLine() {
    return byName.get(defaultName);
  }

  String defaultName() {
    return defaultName;
  }

  /** The line named {@code name}, or null. */
  synchronized Line byName(String name) {
    return byName.get(name);
  }

  /** The configured line at {@code index} (the one with port base + index), or null. */
  synchronized Line byIndex(int index) {
    return index >= 0 && index < configured.size() ? byName.get(configured.get(index)) : null;
  }

  /** True when the line has a gRPC port of its own under {@code --line-ports}. */
  boolean isConfigured(String name) {
    return configured.contains(name);
  }

  /** The name of {@code line}, or null when it is not (any longer) served. */
  synchronized String nameOf(Line line) {
    for (Map.Entry<String, Line> e : byName.entrySet()) {
      if (e.getValue() == line) {
        return e.getKey();
      }
    }
    return null;
  }

  synchronized List<String> names() {
    return List.copyOf(byName.keySet());
  }

  synchronized List<Line> all() {
    return new ArrayList<>(byName.values());
  }

  /** Name and line, in order. */
  synchronized Map<String, Line> snapshot() {
    return new LinkedHashMap<>(byName);
  }

  synchronized int size() {
    return byName.size();
  }

  /**
   * Adds a line unless the name is taken.
   *
   * @return false when a line of that name exists
   */
  boolean add(String name, Line line) {
    synchronized (this) {
      if (byName.containsKey(name)) {
        return false;
      }
      byName.put(name, line);
    }
    for (BiConsumer<String, Line> listener : onAdded) {
      listener.accept(name, line);
    }
    return true;
  }

  /**
   * Removes the line; the default line is never removed.
   *
   * @return the line removed, or null when none of that name was served
   */
  Line remove(String name) {
    if (name.equals(defaultName)) {
      throw new IllegalArgumentException("the default line stays");
    }
    Line removed;
    synchronized (this) {
      removed = byName.remove(name);
    }
    if (removed != null) {
      for (BiConsumer<String, Line> listener : onRemoved) {
        listener.accept(name, removed);
      }
    }
    return removed;
  }

  /** Tells {@code listener} of every line added from now on; closing the handle stops it. */
  AutoCloseable onAdded(BiConsumer<String, Line> listener) {
    onAdded.add(listener);
    return () -> onAdded.remove(listener);
  }

  /**
   * Tells {@code listener} of every line removed from now on, right after it left the served lines
   * (it may still be hanging up); closing the handle stops it.
   */
  AutoCloseable onRemoved(BiConsumer<String, Line> listener) {
    onRemoved.add(listener);
    return () -> onRemoved.remove(listener);
  }
}
