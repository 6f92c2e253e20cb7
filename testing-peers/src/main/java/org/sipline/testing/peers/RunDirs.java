package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temporary directory each peer keeps its config, logs and recordings in. Removed when the peer
 * closes, unless the system property {@value #KEEP_PROPERTY} is "true" (to look at a failed run's
 * files afterwards).
 */
final class RunDirs {
  static final String KEEP_PROPERTY = "sipline.peers.keepFiles";

  private RunDirs() {}

  static Path create(String peer) {
    try {
      return Files.createTempDirectory("sipline-" + peer + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("creating a run directory for " + peer, e);
    }
  }

  static void release(Path dir) {
    if (Boolean.getBoolean(KEEP_PROPERTY)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("removing run directory " + dir, e);
    }
  }
}
