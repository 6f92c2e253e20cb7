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
import java.util.function.Predicate;
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

  /** Between two reads of a capture still being written: dumpcap flushes about this often. */
  private static final long LIVE_READ_MILLIS = 200;

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
    return read(decodeAs, preferences, fields, occurrence, false);
  }

  /**
   * Waits until what tshark has written so far, read back as {@link #fields(List, List)} reads it,
   * satisfies {@code done} (or {@code within} has passed), then stops capturing and returns the
   * whole file's rows. Stopping tshark the moment the last packet was sent can lose what was still
   * in the kernel's capture buffer or in dumpcap's, uncounted; dumpcap flushes its file a few times
   * a second (Wireshark's live view reads it so), so the packets a caller knows were sent show up
   * in the file before the capture is stopped. When {@code within} passes first, the capture is
   * stopped all the same and the rows say what is missing.
   *
   * @param decodeAs tshark {@code -d} rules, e.g. "udp.port==5062,sip"
   * @param fields tshark field names
   * @param done whether the rows written so far hold everything the caller waits for
   * @param within how long to wait for it
   * @return every row of the stopped capture
   */
  public List<String[]> fieldsOnceWritten(
      List<String> decodeAs, List<String> fields, Predicate<List<String[]>> done, Duration within)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (dropped < 0
        && !done.test(fieldsSoFar(decodeAs, fields))
        && System.nanoTime() - deadline < 0) {
      Thread.sleep(LIVE_READ_MILLIS);
    }
    return fields(decodeAs, fields);
  }

  /**
   * What tshark has written so far, read as {@link #fields(List, List)} reads it, without stopping
   * the capture (once stopped: the whole file). A packet that crossed {@code lo} a moment ago can
   * still be in the kernel's buffer or in dumpcap's; one that crossed before tshark's capture stood
   * is not captured at all, and tshark's "Capturing on" line comes before that (datagrams sent
   * right after it were missed here): a caller that must not miss the first packets sends probes
   * until one shows up in here.
   *
   * @param decodeAs tshark {@code -d} rules
   * @param fields tshark field names
   * @return one row per packet written so far, one column per field
   */
  public List<String[]> fieldsSoFar(List<String> decodeAs, List<String> fields) throws IOException {
    return read(decodeAs, List.of(), fields, "f", dropped < 0);
  }

  /**
   * Runs tshark over the capture file. {@code live}: the file is still being written, so its last
   * packet can be cut short, which tshark reports with a failing exit after the rows before it;
   * those rows are returned.
   */
  private List<String[]> read(
      List<String> decodeAs,
      List<String> preferences,
      List<String> fields,
      String occurrence,
      boolean live)
      throws IOException {
    if (live && !Files.exists(file)) {
      return List.of();
    }
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
      if (p.exitValue() != 0 && !live) {
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
