package org.sipline.backend.jainsip.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a backend holds of the process: its threads, and the process's open descriptors. */
final class BackendThreads {
  private BackendThreads() {}

  /** Live threads of every jainsip backend of this JVM (their groups are "sipline-jainsip-N"). */
  static List<String> names() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(
            t ->
                t.getThreadGroup() != null
                    && t.getThreadGroup().getName().startsWith("sipline-jainsip"))
        .map(Thread::getName)
        .sorted()
        .toList();
  }

  static int count() {
    return names().size();
  }

  /** Open file descriptors of this process (sockets included), from /proc/self/fd. */
  static long openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc/self/fd", e);
    }
  }
}
