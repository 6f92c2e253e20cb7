package org.sipline.backend.jainsip.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel says about a UDP socket, from {@code /proc/net/udp}: in particular how many
 * datagrams it dropped because the socket's buffer was full, which a test must tell apart from
 * datagrams the program dropped on purpose.
 */
final class UdpSocketStats {
  private static final Path UDP = Path.of("/proc/net/udp");

  private UdpSocketStats() {}

  /**
   * Datagrams the kernel dropped at the IPv4 socket bound to local {@code port}, or 0 when no such
   * socket is listed.
   */
  static long kernelDrops(int port) {
    List<String> lines;
    try {
      lines = Files.readAllLines(UDP);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + UDP, e);
    }
    String wanted = String.format(":%04X", port);
    for (String line : lines.subList(1, lines.size())) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
      // inode ref pointer drops
      String[] f = line.trim().split("\\s+");
      if (f.length >= 13 && f[1].endsWith(wanted)) {
        return Long.parseLong(f[f.length - 1]);
      }
    }
    return 0;
  }
}
