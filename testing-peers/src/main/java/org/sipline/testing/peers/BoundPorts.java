package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether some process has bound a port, read from Linux's {@code /proc/net} tables. Used to see
 * that a peer is ready without touching its port: probing by binding the port ourselves could make
 * the peer's own bind fail if both happened at the same moment.
 */
final class BoundPorts {
  /** The {@code st} column value of a listening TCP socket. */
  private static final String TCP_LISTEN = "0A";

  private BoundPorts() {}

  /** True when a UDP socket is bound to {@code port} on 127.0.0.1 or on every address. */
  static boolean udpBound(int port) {
    return bound(Path.of("/proc/net/udp"), port, null);
  }

  /** True when a TCP socket listens on {@code port} on 127.0.0.1 or on every address. */
  static boolean tcpListening(int port) {
    return bound(Path.of("/proc/net/tcp"), port, TCP_LISTEN);
  }

  /**
   * Scans rows like {@code " 12: 0100007F:5221 00000000:0000 07 ..."}: the local address is the
   * second column (little-endian IPv4 hex : port hex), the state the fourth.
   */
  static boolean bound(Path table, int port, String state) {
    String portHex = String.format(Locale.ROOT, "%04X", port);
    for (String row : read(table)) {
      String[] cols = row.trim().split("\\s+");
      if (cols.length < 4 || !cols[0].endsWith(":")) {
        continue;
      }
      String[] local = cols[1].split(":");
      if (local.length != 2 || !local[1].equalsIgnoreCase(portHex)) {
        continue;
      }
      boolean ours = local[0].equals("0100007F") || local[0].equals("00000000");
      if (ours && (state == null || cols[3].equalsIgnoreCase(state))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> read(Path table) {
    try {
      return Files.readAllLines(table);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + table, e);
    }
  }
}
