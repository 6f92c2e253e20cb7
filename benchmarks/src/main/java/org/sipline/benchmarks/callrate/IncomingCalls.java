package org.sipline.benchmarks.callrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sipline.benchmarks.harness.ChildProcess;
import org.sipline.benchmarks.harness.SippPeer;

/**
 * A SIPp caller placing {@code count} calls at {@code rate} per second to a trunk identity through
 * Kamailio, each held for the hold time and hung up by SIPp; its log gives each call's 180 and 200
 * times from the INVITE's send, and which calls ended with their BYE answered.
 */
public final class IncomingCalls implements AutoCloseable {
  private final ChildProcess sipp;
  private final Path log;
  private final Path errors;

  private IncomingCalls(ChildProcess sipp, Path log, Path errors) {
    this.sipp = sipp;
    this.log = log;
    this.errors = errors;
  }

  /**
   * Starts SIPp in {@code dir} calling {@code service} at {@code proxy} ("127.0.0.1:port"); the
   * callers' RTP goes to {@code sinkPort}.
   */
  static IncomingCalls start(
      Path dir,
      String name,
      String proxy,
      String service,
      int rate,
      int count,
      int holdMillis,
      int sinkPort)
      throws IOException {
    return start(dir, name, proxy, service, rate, count, Math.max(count, 1), holdMillis, sinkPort);
  }

  /**
   * As {@link #start(Path, String, String, String, int, int, int, int)}, with at most {@code
   * concurrent} calls at once (SIPp's {@code -l}): 1 calls one line without ever finding it busy.
   */
  public static IncomingCalls start(
      Path dir,
      String name,
      String proxy,
      String service,
      int rate,
      int count,
      int concurrent,
      int holdMillis,
      int sinkPort)
      throws IOException {
    Files.createDirectories(dir);
    Path scenario = dir.toAbsolutePath().resolve(name + ".xml");
    Files.writeString(
        scenario,
        resource("uac.xml")
            .replace("@SINK_PORT@", Integer.toString(sinkPort))
            .replace("@HOLD_MS@", Integer.toString(holdMillis)),
        StandardCharsets.ISO_8859_1);
    Path log = dir.toAbsolutePath().resolve(name + "-calls.log");
    Path errors = dir.toAbsolutePath().resolve(name + "-errors.log");
    // The whole run's bound: the calls' spread, their hold, and a minute for set-up and teardown.
    long timeout = (long) count / rate + holdMillis / 1000 + 60;
    List<String> command =
        List.of(
            "sipp",
            "-sf",
            scenario.toString(),
            "-i",
            "127.0.0.1",
            "-p",
            Integer.toString(SippPeer.freeUdpPort()),
            "-t",
            "u1",
            "-s",
            service,
            "-r",
            Integer.toString(rate),
            "-m",
            Integer.toString(count),
            "-l",
            Integer.toString(concurrent),
            "-recv_timeout",
            "32000",
            "-timeout",
            timeout + "s",
            "-timeout_error",
            "-nostdin",
            "-trace_logs",
            "-log_file",
            log.toString(),
            "-trace_err",
            "-error_file",
            errors.toString(),
            proxy);
    return new IncomingCalls(ChildProcess.start("sipp-" + name, command, dir), log, errors);
  }

  /** Waits for SIPp to finish its calls; its exit code (0: every call went through). */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return sipp.awaitExit(timeout);
  }

  /** What SIPp's log says about the calls, once it exited. */
  Outcome outcome() throws IOException {
    return outcome(0);
  }

  /**
   * As {@link #outcome()}, leaving out the times of the first {@code skipFirst} calls (a warm-up):
   * SIPp numbers its calls from 1.
   */
  public Outcome outcome(int skipFirst) throws IOException {
    Map<String, Long> ring = new HashMap<>();
    Map<String, Long> answer = new HashMap<>();
    Set<String> ended = new HashSet<>();
    for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 6
          && (f[0].equals("RING") || f[0].equals("ANSWER"))
          && Long.parseLong(f[1]) > skipFirst) {
        // SIPp's variables are doubles: "1796658525.000000".
        long sent = micros(f[2], f[3]);
        long got = micros(f[4], f[5]);
        (f[0].equals("RING") ? ring : answer).putIfAbsent(f[1], got - sent);
      } else if (f.length == 2 && f[0].equals("END")) {
        ended.add(f[1]);
      }
    }
    String errorText = Files.exists(errors) ? Files.readString(errors) : "";
    return new Outcome(
        ring.values().stream().mapToLong(Long::longValue).toArray(),
        answer.values().stream().mapToLong(Long::longValue).toArray(),
        ended.size(),
        errorText.isBlank() ? List.of() : new ArrayList<>(List.of(errorText.split("\\R"))));
  }

  private static long micros(String seconds, String micros) {
    return ((long) Double.parseDouble(seconds)) * 1_000_000L + ((long) Double.parseDouble(micros));
  }

  /**
   * What SIPp's log says about the calls.
   *
   * @param ringMicros INVITE → 180 per call that got one
   * @param answerMicros INVITE → 200 per answered call
   * @param ended calls whose BYE was answered
   * @param errors SIPp's error log lines
   */
  // Error Prone: the arrays are samples, read once; no record equality is wanted.
  @SuppressWarnings("ArrayRecordComponent")
  public record Outcome(long[] ringMicros, long[] answerMicros, int ended, List<String> errors) {}

  static String resource(String name) {
    try (InputStream in = IncomingCalls.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("scenario resource missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("reading scenario " + name, e);
    }
  }

  @Override
  public void close() {
    sipp.close();
  }
}
