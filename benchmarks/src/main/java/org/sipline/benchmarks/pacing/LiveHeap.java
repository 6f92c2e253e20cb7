package org.sipline.benchmarks.pacing;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Bytes of live objects in this JVM, counted by a class histogram after a full collection (the
 * {@code GC.class_histogram} diagnostic command, as {@code jcmd} runs it). Unlike the heap's "used"
 * figure this does not depend on the collector: ZGC, for one, reports used memory in whole 2 MiB
 * pages.
 */
public final class LiveHeap {
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

  private LiveHeap() {}

  /** The live bytes in {@code histogram}, a {@link #histogram()} text. */
  public static long bytes(String histogram) {
    Matcher m = TOTAL.matcher(histogram);
    if (!m.find()) {
      throw new IllegalStateException(
          "class histogram without a Total line; it ends: "
              + histogram.substring(Math.max(0, histogram.length() - 300)));
    }
    return Long.parseLong(m.group(2));
  }

  /** Collects, then counts instances and bytes per class of what is still live. */
  static String histogram() {
    String histogram;
    try {
      histogram =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {new String[0]},
                      new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("GC.class_histogram diagnostic command failed", e);
    }
    return histogram;
  }
}
