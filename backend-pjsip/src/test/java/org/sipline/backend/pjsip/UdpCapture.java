package org.sipline.backend.pjsip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The UDP datagrams sent to one loopback port range, captured with Wireshark's {@code dumpcap}
 * (which needs the right to capture on {@code lo}): what a far end really put on the wire, to
 * compare with what the backend reported. Started before the traffic, stopped by its PID.
 */
final class UdpCapture implements AutoCloseable {
  private final Process process;
  private final Path file;
  private final Path log;
  private boolean stopped;

  private UdpCapture(Process process, Path file, Path log) {
    this.process = process;
    this.file = file;
    this.log = log;
  }

  /** The dumpcap binary, or null where it is not installed. */
  static Path dumpcap() {
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, "dumpcap");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Captures UDP to ports {@code min..max} on lo into {@code dir}; returns once it captures. */
  static UdpCapture start(Path dir, int min, int max) throws IOException {
    return start(dir, "udp dst portrange " + min + "-" + max);
  }

  /** Captures UDP to or from ports {@code min..max}: both directions of a far end's RTP. */
  static UdpCapture bothWays(Path dir, int min, int max) throws IOException {
    return start(dir, "udp portrange " + min + "-" + max);
  }

  private static UdpCapture start(Path dir, String filter) throws IOException {
    Path binary = dumpcap();
    if (binary == null) {
      throw new IllegalStateException("dumpcap is not installed");
    }
    Path file = dir.resolve("capture.pcap");
    Path log = dir.resolve("dumpcap.log");
    Process p =
        new ProcessBuilder(binary.toString(), "-i", "lo", "-P", "-f", filter, "-w", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    UdpCapture capture = new UdpCapture(p, file, log);
    try {
      Awaitility.await("dumpcap capturing")
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> !p.isAlive() || capture.logText().contains("Capturing on"));
    } catch (RuntimeException e) {
      capture.close();
      throw e;
    }
    if (!p.isAlive()) {
      throw new IllegalStateException("dumpcap exited: " + capture.logText());
    }
    return capture;
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Stops the capture and returns every UDP payload it holds, in capture order. */
  List<byte[]> stopAndRead() throws IOException, InterruptedException {
    stop();
    byte[] pcap = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(pcap);
    int magic = b.getInt();
    if (magic == 0xd4c3b2a1) {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else if (magic != 0xa1b2c3d4) {
      throw new IOException("not a pcap file (magic " + Integer.toHexString(magic) + ")");
    }
    b.position(20);
    int linkType = b.getInt();
    if (linkType != 1) {
      throw new IOException("link type " + linkType + " is not Ethernet");
    }
    List<byte[]> payloads = new ArrayList<>();
    while (b.remaining() >= 16) {
      b.getInt();
      b.getInt();
      int captured = b.getInt();
      b.getInt();
      int frame = b.position();
      if (captured > b.remaining()) {
        break; // cut off by the stop
      }
      int ip = frame + 14;
      int ihl = (pcap[ip] & 0x0f) * 4;
      int udp = ip + ihl;
      int udpLength = ((pcap[udp + 4] & 0xff) << 8) | (pcap[udp + 5] & 0xff);
      payloads.add(Arrays.copyOfRange(pcap, udp + 8, udp + udpLength));
      b.position(frame + captured);
    }
    return payloads;
  }

  private void stop() throws InterruptedException {
    if (stopped) {
      return;
    }
    stopped = true;
    process.destroy(); // SIGTERM to its PID: dumpcap flushes and exits
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
