package org.sipline.backend.jainsip.hardening;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What this JVM's heap holds alive, from HotSpot's class histogram (the {@code GC.class_histogram}
 * diagnostic command, which runs a full collection first): live bytes in all, and live instances of
 * named classes. Exact counts, not a sample, so a test can compare them with how many requests it
 * sent.
 */
final class LiveHeap {
  /** A histogram row: rank, instances, bytes, class name (and a module in parentheses). */
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

  private final long bytes;
  private final Map<String, Long> instances;

  private LiveHeap(long bytes, Map<String, Long> instances) {
    this.bytes = bytes;
    this.instances = instances;
  }

  /** Collects the heap and reads what stayed alive. */
  static LiveHeap now() {
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
      throw new IllegalStateException("this JVM offers no GC.class_histogram: " + e, e);
    }
    long total = -1;
    Map<String, Long> counts = new HashMap<>();
    for (String line : histogram.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        counts.merge(row.group(3), Long.parseLong(row.group(1)), Long::sum);
        continue;
      }
      Matcher sum = TOTAL.matcher(line);
      if (sum.find()) {
        total = Long.parseLong(sum.group(2));
      }
    }
    if (total < 0) {
      throw new IllegalStateException(
          "no Total line in the class histogram: " + histogram.lines().limit(5).toList());
    }
    return new LiveHeap(total, counts);
  }

  long bytes() {
    return bytes;
  }

  /** Live instances of the class named {@code className} (0 when none is alive). */
  long instances(String className) {
    return instances.getOrDefault(className, 0L);
  }
}
