package org.sipline.benchmarks.micro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sipline.benchmarks.line.ConnectedLine;
import org.sipline.core.LineStatus;

/**
 * Appending to the status history the way the API does: SipMute then SipUnMute on a connected line,
 * each a command through the line's actor that records one status and completes its future.
 * Reported per appended status, so it includes the hand-off to the actor thread and back; with the
 * journal on, also the JSONL line written and flushed per status.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatusAppendBenchmark {
  /** Whether the history is journaled to a file. */
  @Param({"false", "true"})
  public boolean journal;

  private ConnectedLine line;
  private Path journalDir;

  @Setup(Level.Trial)
  public void connect() throws Exception {
    Path file = null;
    if (journal) {
      journalDir = Files.createTempDirectory("sipline-history-bench");
      file = journalDir.resolve("history.jsonl");
    }
    line = ConnectedLine.open(10_000, file);
  }

  @Benchmark
  @OperationsPerInvocation(2)
  public LineStatus muteUnmute() throws Exception {
    return line.muteUnmute();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    line.close();
    if (journalDir != null) {
      try (var files = Files.list(journalDir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(journalDir);
    }
  }
}
