package org.sipline.backend.jainsip.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Where sipline does not yet do what RFC 3261 asks with a torture message, and who is to fix it:
 * {@code hardening/known-deviations.tsv}, one line per message and transport. A test of a listed
 * case still sends it and still checks that nothing broke, then reports itself skipped with the
 * reason; fixing the behaviour means deleting the line, which makes the test strict again.
 */
final class KnownDeviations {
  private static final String RESOURCE = "hardening/known-deviations.tsv";
  private static final String THREAD_DEATH = "thread-death";
  private final Map<String, String> reasons;

  private KnownDeviations(Map<String, String> reasons) {
    this.reasons = reasons;
  }

  static KnownDeviations load() {
    Map<String, String> reasons = new HashMap<>();
    try (InputStream in = KnownDeviations.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: " + RESOURCE);
      }
      for (String row : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (row.isBlank() || row.startsWith("#")) {
          continue;
        }
        String[] f = row.split("\t");
        if (f.length != 3) {
          throw new IllegalStateException(RESOURCE + ": want message, transport, reason: " + row);
        }
        reasons.put(f[0] + "/" + f[1], f[2]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(RESOURCE, e);
    }
    return new KnownDeviations(reasons);
  }

  /**
   * The reason a thread killed by {@code e} is a known RI fault (matched by the method at the top
   * of its stack), or null when no thread may die of it.
   */
  String threadDeath(Throwable e) {
    StackTraceElement[] stack = e.getStackTrace();
    if (stack.length == 0) {
      return null;
    }
    return reasons.get(
        THREAD_DEATH + "/" + stack[0].getClassName() + "." + stack[0].getMethodName());
  }

  /** The reason {@code message} over {@code transport} deviates, or null when it must not. */
  String reason(String message, String transport) {
    String r = reasons.get(message + "/" + transport);
    return r != null ? r : reasons.get(message + "/any");
  }
}
