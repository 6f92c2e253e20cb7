package org.sipline.benchmarks.micro;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sipline.benchmarks.line.ConnectedLine;
import org.sipline.core.LineStatus;

/**
 * Reading the status history through the public API: SipGetSipStatus ({@code latestStatus}) and
 * SipGetSipStatusHistory ({@code fullHistory}, a snapshot of every kept status) on a line whose
 * history holds {@code historySize} statuses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatusReadBenchmark {
  /** Statuses in the history (10 000 is the default limit). */
  @Param({"100", "10000"})
  public int historySize;

  private ConnectedLine line;

  @Setup(Level.Trial)
  public void fill() throws Exception {
    line = ConnectedLine.open(historySize, null);
    while (line.line().history().size() < historySize) {
      line.muteUnmute();
    }
  }

  @Benchmark
  public LineStatus latestStatus() {
    return line.line().status();
  }

  @Benchmark
  public List<LineStatus> fullHistory() {
    return line.line().history();
  }

  @TearDown(Level.Trial)
  public void close() {
    line.close();
  }
}
