package org.sipline.benchmarks.pacing;

import org.sipline.benchmarks.harness.ThreadSched;

/**
 * Everything one phase (one call count in one run) measured.
 *
 * @param run 1-based run number
 * @param calls concurrent sipline calls (0: baresip alone)
 * @param condition what else the window had: "idle", or "flood N/s" (INVITEs from a stranger)
 * @param pacerPolicy the load's pacer thread's scheduling as the kernel reported it ("FIFO 10",
 *     "OTHER"), or "" without calls
 * @param captureMethod how packets were timed
 * @param captureDropped packets the capture itself reported dropping
 * @param loadBefore the machine's 1-minute load average when the window opened
 * @param loadAfter the same when it closed
 * @param windowNanos the window's length
 * @param sipline sipline's streams, or null without calls
 * @param baresip baresip's stream, or null without baresip
 * @param siplineCpu CPU of the load process in the window, as a share of all cores (0..1)
 * @param baresipCpu the same for baresip
 * @param load the load process's own report, or null without calls
 * @param gcInWindow GC pauses of the load process inside the window, or null without calls
 * @param gcWholeRun GC pauses of the load process from start to exit, or null without calls
 * @param pacer the load's pacer thread in the window (CPU, time runnable but not running), or null
 *     without calls
 * @param stealNanos CPU time the hypervisor took from the machine in the window, all CPUs
 * @param wire the load's packets on the wire in the window ({@link WireFormat#describe()}), or ""
 *     without calls
 */
record PhaseResult(
    int run,
    int calls,
    String condition,
    String pacerPolicy,
    String captureMethod,
    long captureDropped,
    double loadBefore,
    double loadAfter,
    long windowNanos,
    PacingStats sipline,
    PacingStats baresip,
    double siplineCpu,
    double baresipCpu,
    LoadResult load,
    GcPauses gcInWindow,
    GcPauses gcWholeRun,
    ThreadSched.Counters pacer,
    long stealNanos,
    String wire) {

  static final String IDLE = "idle";

  /** The pacer's average wait for a CPU each time it became runnable, ns; -1 when unknown. */
  long pacerWaitPerWakeup() {
    return pacer == null || pacer.slices() == 0 ? -1 : pacer.waitNanos() / pacer.slices();
  }
}
