package org.sipline.benchmarks.media;

import java.io.IOException;
import java.util.Locale;
import org.sipline.benchmarks.harness.ProcStat;

/**
 * A measurement window and what the machine did in it: wall-clock bounds (to select captured
 * packets), CPU time of the server, of the harness and of the load beside them, the hypervisor's
 * steal and the load average at both ends; and what other work on the machine cost the server: how
 * long its threads, and its RTP pacer thread alone, were runnable but waited for a CPU, and for how
 * much of the window any task of the machine waited for one (CPU pressure, -1: unknown).
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
    double loadAfter,
    long serverWaitNanos,
    long pacerWaitNanos,
    long pressureMicros) {

  private static final String PACER_THREAD = "sipline-rtp-pac";

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
    private final long serverWait;
    private final long pacerWait;
    private final long pressure;

    private Open(String name, long serverPid, long besidePid) throws IOException {
      this.name = name;
      this.serverPid = serverPid;
      this.besidePid = besidePid;
      this.serverCpu = ProcStat.cpuNanos(serverPid);
      this.harnessCpu = ProcStat.cpuNanos(ProcessHandle.current().pid());
      this.besideCpu = besidePid < 0 ? 0 : ProcStat.cpuNanos(besidePid);
      this.steal = ProcStat.stealNanos();
      this.load = ProcStat.loadAverage();
      this.serverWait = ProcStat.runQueueWaitNanos(serverPid, "");
      this.pacerWait = ProcStat.runQueueWaitNanos(serverPid, PACER_THREAD);
      this.pressure = ProcStat.cpuPressureMicros();
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
          ProcStat.loadAverage(),
          ProcStat.runQueueWaitNanos(serverPid, "") - serverWait,
          ProcStat.runQueueWaitNanos(serverPid, PACER_THREAD) - pacerWait,
          pressure < 0 ? -1 : ProcStat.cpuPressureMicros() - pressure);
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
    r.value(name + "_server_runqueue_wait_ms", serverWaitNanos / 1_000_000);
    r.value(name + "_pacer_runqueue_wait_ms", pacerWaitNanos / 1_000_000);
    r.value(
        name + "_cpu_pressure_pct",
        pressureMicros < 0 ? -1 : 100.0 * pressureMicros * 1000 / (double) (to - from));
    r.text(name + "_load", String.format(Locale.ROOT, "%.2f → %.2f", loadBefore, loadAfter));
  }
}
