package org.sipline.backend.jainsip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark on {@code lo}, started and stopped by its PID, writing the UDP datagrams of a port range
 * to a pcapng file; {@link #stop} returns their payloads. For proving what did (or did not) cross
 * the wire: other programs share {@code lo}, so the filter keeps to one peer's ports.
 */
final class LoopbackCapture implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(20);

  private final Process tshark;
  private final Path file;
  private final Path log;

  private LoopbackCapture(Process tshark, Path file, Path log) {
    this.tshark = tshark;
    this.file = file;
    this.log = log;
  }

  /** Starts capturing UDP to or from {@code first..last}; returns once tshark captures. */
  static LoopbackCapture start(Path dir, int first, int last)
      throws IOException, InterruptedException {
    Path file = dir.toAbsolutePath().resolve("capture.pcapng");
    Path log = dir.toAbsolutePath().resolve("tshark.log");
    Process p =
        new ProcessBuilder(
                "tshark",
                "-i",
                "lo",
                "-n",
                "-q",
                "-f",
                "udp portrange " + first + "-" + last,
                "-w",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LoopbackCapture capture = new LoopbackCapture(p, file, log);
    long deadline = System.nanoTime() + START.toNanos();
    while (!Files.readString(log).contains("Capturing on")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        capture.close();
        throw new IllegalStateException("tshark did not start capturing: " + Files.readString(log));
      }
      // Polls tshark's own log line: the one sign it gives that the capture stands.
      p.waitFor(50, TimeUnit.MILLISECONDS);
    }
    return capture;
  }

  /** One captured datagram: the kernel's timestamp of it on {@code lo}, and its UDP payload. */
  record Datagram(long epochNanos, byte[] payload) {}

  /** Stops tshark (SIGTERM, by its PID) and returns the captured UDP payloads in order. */
  List<byte[]> stop() throws IOException, InterruptedException {
    return stopTimed().stream().map(Datagram::payload).toList();
  }

  /** As {@link #stop}, with each datagram's capture time (the kernel's, not a reader's). */
  List<Datagram> stopTimed() throws IOException, InterruptedException {
    close();
    return read();
  }

  /**
   * Waits until what tshark has written so far satisfies {@code done} (dumpcap flushes its file a
   * few times a second, which Wireshark's live view relies on), then stops and returns it all: a
   * datagram still in the kernel's buffer when tshark is stopped is lost otherwise.
   */
  List<Datagram> stopWhen(java.util.function.Predicate<List<Datagram>> done, Duration within)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.test(read())) {
      if (System.nanoTime() > deadline) {
        break; // the caller's assertions say what is missing
      }
      tshark.waitFor(100, TimeUnit.MILLISECONDS);
    }
    return stopTimed();
  }

  private List<Datagram> read() throws IOException, InterruptedException {
    Process read =
        new ProcessBuilder(
                "tshark",
                "-r",
                file.toString(),
                "-T",
                "fields",
                "-e",
                "frame.time_epoch",
                "-e",
                "udp.payload")
            .redirectErrorStream(false)
            .start();
    String out = new String(read.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    read.waitFor(30, TimeUnit.SECONDS);
    List<Datagram> datagrams = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] fields = line.strip().split("\t");
      if (fields.length == 2 && !fields[1].isEmpty()) {
        datagrams.add(
            new Datagram(
                new java.math.BigDecimal(fields[0]).movePointRight(9).longValue(),
                HexFormat.of().parseHex(fields[1].replace(":", ""))));
      }
    }
    return datagrams;
  }

  @Override
  public void close() {
    if (tshark.isAlive()) {
      tshark.destroy();
      try {
        if (!tshark.waitFor(10, TimeUnit.SECONDS)) {
          tshark.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tshark.destroyForcibly();
      }
    }
  }

  Path log() {
    return log;
  }
}
