package org.sipline.benchmarks.media;

import java.io.IOException;
import java.util.Locale;
import org.sipline.benchmarks.harness.ProcStat;

/**
 * A measurement window and what the machine did in it: wall-clock bounds (to select captured
 * packets), CPU time of the server, of the harness and of the load beside them, the hypervisor's
 * steal and the load average at both ends.
 */
record Window(
    String name,
    long from,
    long to,
    long serverCpuNanos,
    long harnessCpuNanos,
    long besideCpuNanos,
    long stealNanos,
    double loadBefore,
    double loadAfter) {

  /** A window being measured. */
  static final class Open {
    private final String name;
    private final long serverPid;
    private final long besidePid;
    private final long from = WallClock.nanos();
    private final long serverCpu;
    private final long harnessCpu;
    private final long besideCpu;
    private final long steal;
    private final double load;

    private Open(String name, long serverPid, long besidePid) throws IOException {
      this.name = name;
      this.serverPid = serverPid;
      this.besidePid = besidePid;
      this.serverCpu = ProcStat.cpuNanos(serverPid);
      this.harnessCpu = ProcStat.cpuNanos(ProcessHandle.current().pid());
      this.besideCpu = besidePid < 0 ? 0 : ProcStat.cpuNanos(besidePid);
      this.steal = ProcStat.stealNanos();
      this.load = ProcStat.loadAverage();
    }

    Window close() throws IOException {
      long to = WallClock.nanos();
      return new Window(
          name,
          from,
          to,
          ProcStat.cpuNanos(serverPid) - serverCpu,
          ProcStat.cpuNanos(ProcessHandle.current().pid()) - harnessCpu,
          besidePid < 0 ? 0 : ProcStat.cpuNanos(besidePid) - besideCpu,
          ProcStat.stealNanos() - steal,
          load,
          ProcStat.loadAverage());
    }

    long from() {
      return from;
    }
  }

  /**
   * Starts a window now.
   *
   * @param besidePid the load beside the server, or -1
   */
  static Open open(String name, long serverPid, long besidePid) throws IOException {
    return new Open(name, serverPid, besidePid);
  }

  /** Share of all cores, in percent, that {@code cpuNanos} was over the window. */
  double percentOfCores(long cpuNanos) {
    return 100.0 * cpuNanos / ((double) (to - from) * Runtime.getRuntime().availableProcessors());
  }

  /** Writes the window's machine facts under {@code <name>_…} keys. */
  void describe(MediaResult r) {
    r.value(name + "_seconds", (to - from) / 1e9);
    r.text(name + "_from_epoch_s", String.format(Locale.ROOT, "%.3f", from / 1e9));
    r.text(name + "_to_epoch_s", String.format(Locale.ROOT, "%.3f", to / 1e9));
    r.value(name + "_server_cpu_pct", percentOfCores(serverCpuNanos));
    r.value(name + "_harness_cpu_pct", percentOfCores(harnessCpuNanos));
    r.value(name + "_beside_cpu_pct", percentOfCores(besideCpuNanos));
    r.value(name + "_steal_ms", stealNanos / 1_000_000);
    r.text(name + "_load", String.format(Locale.ROOT, "%.2f → %.2f", loadBefore, loadAfter));
  }
}
