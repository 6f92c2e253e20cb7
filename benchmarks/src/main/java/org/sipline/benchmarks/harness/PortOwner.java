package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether a given process holds a local port, read from Linux's {@code /proc}: the socket's inode
 * in {@code /proc/net/{udp,tcp}{,6}} among the process's open files.
 *
 * <p>Why: the harness picks a free port, closes it, and hands the number to a program (SIPp, the
 * server) that binds it a moment later. Another process can take the port in between; then "is the
 * port bound?" answers yes although our program failed to bind it (it exits with "Address already
 * in use", or worse, the harness talks to the other process). Asking whether <em>our</em> process
 * holds it tells the two apart, so the caller can pick another port and start again.
 */
public final class PortOwner {
  /** The text of EADDRINUSE, as SIPp, the JDK and Netty all print it. */
  public static final String IN_USE = "Address already in use";

  private PortOwner() {}

  /** True when the process {@code pid} has a UDP socket bound to local {@code port}. */
  public static boolean holdsUdp(long pid, int port) {
    return holds(pid, port, List.of("udp", "udp6"));
  }

  /** True when the process {@code pid} has a TCP socket listening on local {@code port}. */
  public static boolean listensTcp(long pid, int port) {
    return holds(pid, port, List.of("tcp", "tcp6"));
  }

  private static boolean holds(long pid, int port, List<String> tables) {
    Set<String> inodes = new HashSet<>();
    for (String table : tables) {
      inodes.addAll(inodesOnPort(Path.of("/proc/net", table), port, table.startsWith("tcp")));
    }
    if (inodes.isEmpty()) {
      return false;
    }
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.anyMatch(fd -> inodes.contains(socketInode(fd)));
    } catch (NoSuchFileException e) {
      return false; // the process is gone
    } catch (IOException e) {
      throw new UncheckedIOException("reading the open files of pid " + pid, e);
    }
  }

  /** Inodes of the sockets in {@code table} bound to local {@code port} (TCP: listening only). */
  static Set<String> inodesOnPort(Path table, int port, boolean listeningOnly) {
    Set<String> inodes = new HashSet<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(table);
    } catch (NoSuchFileException e) {
      return inodes; // no IPv6 on this host
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + table, e);
    }
    String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
    // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !f[1].endsWith(hexPort)) {
        continue;
      }
      if (listeningOnly && !f[3].equals("0A")) {
        continue;
      }
      inodes.add(f[9]);
    }
    return inodes;
  }

  private static String socketInode(Path fd) {
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("socket:[") ? target.substring(8, target.length() - 1) : "";
    } catch (IOException e) {
      return ""; // closed meanwhile
    }
  }
}
