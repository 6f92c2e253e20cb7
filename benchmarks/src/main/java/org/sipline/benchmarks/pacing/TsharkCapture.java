package org.sipline.benchmarks.pacing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures with tshark on {@code lo}, so every packet carries the kernel's timestamp of when it
 * crossed the interface: what a far end on another host would see, free of the receiver's
 * scheduling. Writes a pcapng file (headers only: snap length {@value #SNAP_LENGTH}) and reads
 * it back with RTP dissection when stopped.
 */
final class TsharkCapture implements Capture {
  /** Ethernet 14 + IPv4 20 + UDP 8 + RTP 12 bytes, with room for IP options and CSRCs. */
  private static final int SNAP_LENGTH = 96;
  /** Kernel capture buffer in MiB: 1000 streams for 30 s must fit without drops. */
  private static final int BUFFER_MIB = 64;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped");

  private final Path dir;
  private final Path file;
  private final List<Integer> ports;
  private final ChildProcess tshark;

  private TsharkCapture(Path dir, Path file, List<Integer> ports, ChildProcess tshark) {
    this.dir = dir;
    this.file = file;
    this.ports = ports;
    this.tshark = tshark;
  }

  /** Whether tshark can capture here (installed, and allowed to open {@code lo}). */
  static String unavailableReason() {
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

  /**
   * Starts capturing UDP to {@code ports} (consecutive or not) and returns once tshark says it
   * captures.
   */
  static TsharkCapture start(Path dir, List<Integer> ports)
      throws IOException, InterruptedException, TimeoutException {
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("no ports to capture");
    }
    int low = ports.stream().mapToInt(Integer::intValue).min().orElseThrow();
    int high = ports.stream().mapToInt(Integer::intValue).max().orElseThrow();
    Path file = dir.resolve("rtp.pcapng");
    ChildProcess tshark = ChildProcess.start("tshark-capture", List.of("tshark", "-i", "lo",
        "-n", "-q", "-s", Integer.toString(SNAP_LENGTH), "-B", Integer.toString(BUFFER_MIB),
        "-f", "udp and dst portrange " + low + "-" + high, "-w", file.toString()), dir);
    TsharkCapture capture = new TsharkCapture(dir, file, List.copyOf(ports), tshark);
    try {
      Await.until(START_TIMEOUT, "tshark capturing on lo",
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

  @Override
  public Result stop() throws IOException {
    tshark.close();
    long dropped = 0;
    Matcher m = DROPPED.matcher(tshark.stderr());
    while (m.find()) {
      dropped += Long.parseLong(m.group(1));
    }
    return new Result(read(), dropped, "tshark on lo (kernel timestamps)");
  }

  private List<CapturedPacket> read() throws IOException {
    List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-n"));
    for (int port : ports) {
      command.add("-d");
      command.add("udp.port==" + port + ",rtp");
    }
    command.addAll(List.of("-T", "fields", "-E", "separator=/t",
        "-e", "frame.time_epoch", "-e", "udp.srcport", "-e", "udp.dstport",
        "-e", "rtp.ssrc", "-e", "rtp.seq", "-e", "rtp.timestamp"));
    Process p = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectError(dir.resolve("tshark-read.err").toFile())
        .start();
    List<CapturedPacket> packets = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        CapturedPacket packet = TsharkFields.parse(line);
        if (packet != null) {
          packets.add(packet);
        }
      }
    }
    try {
      if (!p.waitFor(READ_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("tshark reading " + file + " took longer than " + READ_TIMEOUT);
      }
      if (p.exitValue() != 0) {
        throw new IOException("tshark reading " + file + " exited " + p.exitValue() + ": "
            + Files.readString(dir.resolve("tshark-read.err")).strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + file, e);
    }
    return packets;
  }

  @Override
  public void close() {
    tshark.close();
  }
}
