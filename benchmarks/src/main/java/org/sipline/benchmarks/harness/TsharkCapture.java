package org.sipline.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures with tshark on {@code lo}, so every packet carries the kernel's timestamp of when it
 * crossed the interface: what a far end on another host would see, free of the receiver's
 * scheduling. Writes a pcapng file and reads it back with the dissectors and fields the caller
 * names once stopped.
 */
public final class TsharkCapture implements Capture {
  /** Ethernet 14 + IPv4 20 + UDP 8 + RTP 12 bytes, with room for IP options and CSRCs. */
  public static final int HEADERS_ONLY = 96;

  /** Kernel capture buffer in MiB: 1000 streams for 30 s must fit without drops. */
  private static final int BUFFER_MIB = 64;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped");

  private final Path dir;
  private final Path file;
  private final List<Integer> ports;
  private final ChildProcess tshark;
  private long dropped = -1;

  private TsharkCapture(Path dir, Path file, List<Integer> ports, ChildProcess tshark) {
    this.dir = dir;
    this.file = file;
    this.ports = ports;
    this.tshark = tshark;
  }

  /** Why tshark cannot capture here (not installed, no permission to open lo), or null. */
  public static String unavailableReason() {
    try {
      Process p = new ProcessBuilder("tshark", "-D").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 || !out.contains("lo")) {
        return "tshark -D lists no loopback interface (no capture permission?): " + out.strip();
      }
      return null;
    } catch (IOException e) {
      return "tshark not runnable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while probing tshark";
    }
  }

  /** RTP headers of UDP datagrams to {@code ports}; {@link #stop()} reads them back. */
  public static TsharkCapture start(Path dir, List<Integer> ports)
      throws IOException, InterruptedException, TimeoutException {
    return start(dir, ports, HEADERS_ONLY);
  }

  /**
   * Starts capturing UDP datagrams to {@code ports}, the first {@code snapLength} bytes of each,
   * and returns once tshark says it captures.
   */
  public static TsharkCapture start(Path dir, List<Integer> ports, int snapLength)
      throws IOException, InterruptedException, TimeoutException {
    return start(dir, ports, List.of(), snapLength);
  }

  /**
   * As {@link #start(Path, List, int)}, and also the TCP segments to {@code tcpPorts} (e.g. a gRPC
   * server's, to see when a request reached it); {@link #stop()} decodes only the UDP ports.
   */
  public static TsharkCapture start(
      Path dir, List<Integer> ports, List<Integer> tcpPorts, int snapLength)
      throws IOException, InterruptedException, TimeoutException {
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("no ports to capture");
    }
    StringBuilder filter = new StringBuilder("(udp and (");
    for (int i = 0; i < ports.size(); i++) {
      filter.append(i == 0 ? "" : " or ").append("dst port ").append(ports.get(i));
    }
    filter.append("))");
    for (int port : tcpPorts) {
      filter.append(" or (tcp and dst port ").append(port).append(')');
    }
    return start(dir, "capture", filter.toString(), ports, snapLength);
  }

  private static TsharkCapture start(
      Path dir, String name, String filter, List<Integer> ports, int snapLength)
      throws IOException, InterruptedException, TimeoutException {
    // Absolute: tshark runs in dir, where a relative path would be taken from there.
    Path file = dir.toAbsolutePath().resolve(name + ".pcapng");
    ChildProcess tshark =
        ChildProcess.start(
            "tshark-" + name,
            List.of(
                "tshark",
                "-i",
                "lo",
                "-n",
                "-q",
                "-s",
                Integer.toString(snapLength),
                "-B",
                Integer.toString(BUFFER_MIB),
                "-f",
                filter,
                "-w",
                file.toString()),
            dir);
    TsharkCapture capture = new TsharkCapture(dir, file, List.copyOf(ports), tshark);
    try {
      Await.until(
          START_TIMEOUT,
          "tshark capturing on lo",
          () -> tshark.stderr().contains("Capturing on") || !tshark.isAlive());
      if (!tshark.isAlive()) {
        throw tshark.failure("exited before capturing");
      }
    } catch (TimeoutException | InterruptedException | RuntimeException e) {
      capture.close();
      throw e;
    }
    return capture;
  }

  /**
   * Starts capturing what the BPF {@code filter} selects into {@code name}.pcapng in {@code dir},
   * the first {@code snapLength} bytes of each packet, and returns once tshark says it captures.
   * Read it back with {@link #fields}; {@link #stop()} decodes nothing of it.
   */
  public static TsharkCapture filtered(Path dir, String name, String filter, int snapLength)
      throws IOException, InterruptedException, TimeoutException {
    return start(dir, name, filter, List.of(), snapLength);
  }

  /** Stops capturing; returns how many packets tshark said it dropped. */
  public long stopCapturing() {
    if (dropped < 0) {
      tshark.close();
      long sum = 0;
      Matcher m = DROPPED.matcher(tshark.stderr());
      while (m.find()) {
        sum += Long.parseLong(m.group(1));
      }
      dropped = sum;
    }
    return dropped;
  }

  /** Every captured port decoded as RTP: the packets' RTP headers in capture order. */
  @Override
  public Result stop() throws IOException {
    long drops = stopCapturing();
    List<String> decodeAs = new ArrayList<>();
    for (int port : ports) {
      decodeAs.add("udp.port==" + port + ",rtp");
    }
    List<CapturedPacket> packets = new ArrayList<>();
    for (String[] row :
        fields(
            decodeAs,
            List.of(
                "frame.time_epoch",
                "udp.srcport",
                "udp.dstport",
                "rtp.ssrc",
                "rtp.seq",
                "rtp.timestamp",
                "rtp.p_type",
                "udp.length"))) {
      CapturedPacket p = TsharkFields.parse(row);
      if (p != null) {
        packets.add(p);
      }
    }
    return new Result(packets, drops, "tshark on lo (kernel timestamps)");
  }

  /**
   * Reads the stopped capture back: one row per packet, one column per field (empty when the packet
   * has none).
   *
   * @param decodeAs tshark {@code -d} rules, e.g. "udp.port==5062,sip"
   * @param fields tshark field names, e.g. "frame.time_epoch", "sip.Method"
   */
  public List<String[]> fields(List<String> decodeAs, List<String> fields) throws IOException {
    return fields(decodeAs, List.of(), fields, "f");
  }

  /**
   * As {@link #fields(List, List)}, with tshark preferences ({@code -o name:value}) and which
   * occurrences of a repeated field to print: "f" the first, "a" all (comma-separated).
   */
  public List<String[]> fields(
      List<String> decodeAs, List<String> preferences, List<String> fields, String occurrence)
      throws IOException {
    stopCapturing();
    List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-n"));
    for (String rule : decodeAs) {
      command.add("-d");
      command.add(rule);
    }
    for (String preference : preferences) {
      command.add("-o");
      command.add(preference);
    }
    command.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=" + occurrence));
    for (String f : fields) {
      command.add("-e");
      command.add(f);
    }
    Path err = dir.resolve(file.getFileName() + "-read.err");
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] row = line.split("\t", -1);
        if (row.length != fields.size()) {
          throw new IOException(
              "tshark wrote "
                  + row.length
                  + " fields, asked for "
                  + fields.size()
                  + ": '"
                  + line
                  + "'");
        }
        rows.add(row);
      }
    }
    try {
      if (!p.waitFor(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("tshark reading " + file + " took longer than " + READ_TIMEOUT);
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            "tshark reading "
                + file
                + " exited "
                + p.exitValue()
                + ": "
                + Files.readString(err).strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + file, e);
    }
    return rows;
  }

  @Override
  public void close() {
    tshark.close();
  }
}
