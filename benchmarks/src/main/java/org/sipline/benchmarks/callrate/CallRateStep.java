package org.sipline.benchmarks.callrate;

import java.util.Locale;
import org.sipline.benchmarks.harness.Percentiles;

/**
 * One rate's outcome. Set-up times in microseconds: incoming from SIPp's INVITE send to its 180 and
 * its 200 (through Kamailio, as SIPp saw them); outgoing from SipStartCall's send to the line's
 * OUTGOING_CALL_CONNECTED (the status's server-side timestamp, same clock).
 *
 * @param rate calls per second in, and as many out
 * @param calls calls asked for in each direction
 * @param sippExit SIPp's exit code (0: every incoming call went through its scenario)
 * @param inEnded incoming calls SIPp saw through to its BYE's 200
 * @param inRingMicros INVITE → 180 per incoming call
 * @param inAnswerMicros INVITE → 200 per incoming call
 * @param inInitiated INCOMING_CALL_INITIATED statuses the lines reported
 * @param inFinished INCOMING_CALL_FINISHED statuses
 * @param inFailed INCOMING_CALL_FAILED statuses
 * @param outPlaced SipStartCalls answered OUTGOING_CALL_INITIATED
 * @param outRefused SipStartCalls refused or failed
 * @param outNoLine calls not placed for want of a free line
 * @param outConnected OUTGOING_CALL_CONNECTED statuses
 * @param outFinished OUTGOING_CALL_FINISHED statuses
 * @param outFailed OUTGOING_CALL_FAILED statuses
 * @param outConnectMicros SipStartCall → OUTGOING_CALL_CONNECTED per outgoing call
 * @param serverCpuPercent the server process's CPU over the step, in % of all cores
 * @param wallSeconds how long the step took, its calls' teardown included
 * @param loadBefore the 1-minute load average when the step started
 * @param loadAfter the same when it ended
 * @param gaps WatchStatus gaps (the counts are incomplete when not 0)
 * @param drained whether every call of the step was over and every line free within the bound after
 *     its last call was placed
 */
// Error Prone: the arrays are the step's samples, read by the summary and the test only; no record
// equality is wanted.
@SuppressWarnings("ArrayRecordComponent")
record CallRateStep(
    int rate,
    int calls,
    int sippExit,
    int inEnded,
    long[] inRingMicros,
    long[] inAnswerMicros,
    long inInitiated,
    long inFinished,
    long inFailed,
    long outPlaced,
    long outRefused,
    long outNoLine,
    long outConnected,
    long outFinished,
    long outFailed,
    long[] outConnectMicros,
    double serverCpuPercent,
    double wallSeconds,
    double loadBefore,
    double loadAfter,
    long gaps,
    boolean drained) {

  /** The set-up p99 above which a rate is past the knee (issue 16: 50 ms). */
  static final long KNEE_MICROS = 50_000;

  /** Incoming calls that did not go through: asked for, minus those SIPp saw ended. */
  long inFailedCalls() {
    return (long) calls - inEnded;
  }

  /** Outgoing calls that did not go through: asked for, minus those that finished. */
  long outFailedCalls() {
    return calls - outFinished;
  }

  boolean clean() {
    return sippExit == 0
        && inFailedCalls() == 0
        && outFailedCalls() == 0
        && inFailed == 0
        && outFailed == 0
        && outRefused == 0
        && outNoLine == 0
        && gaps == 0
        && drained;
  }

  /** Whether a set-up p99 (incoming 200 or outgoing connect) passed {@link #KNEE_MICROS}. */
  boolean pastKnee() {
    return p(inAnswerMicros, 99) > KNEE_MICROS || p(outConnectMicros, 99) > KNEE_MICROS;
  }

  static long p(long[] micros, double percent) {
    return new Percentiles(micros, micros.length).at(percent);
  }

  static String header() {
    return "| calls/s in + out | calls each way | failed in | failed out | in: INVITE→180 p50 / p99"
        + " ms | in: INVITE→200 p50 / p99 ms | out: StartCall→CONNECTED p50 / p99 ms | server CPU"
        + " (% of all cores) | load before → after |\n"
        + "|---|---|---|---|---|---|---|---|---|\n";
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "| %d + %d%s | %d | %d%s | %d%s | %s / %s | %s / %s | %s / %s | %.1f | %.1f → %.1f |%n",
        rate,
        rate,
        drained ? "" : " (did not drain)",
        calls,
        inFailedCalls(),
        inFailed > 0 ? " (" + inFailed + " FAILED status)" : "",
        outFailedCalls(),
        outNoLine > 0 || outRefused > 0
            ? " (" + outRefused + " refused, " + outNoLine + " no free line)"
            : "",
        ms(p(inRingMicros, 50)),
        ms(p(inRingMicros, 99)),
        ms(p(inAnswerMicros, 50)),
        ms(p(inAnswerMicros, 99)),
        ms(p(outConnectMicros, 50)),
        ms(p(outConnectMicros, 99)),
        serverCpuPercent,
        loadBefore,
        loadAfter);
  }

  private static String ms(long micros) {
    return micros < 0 ? "–" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
  }

  /** Per-call set-up times, one line each: direction, what, µs. */
  String tsv() {
    StringBuilder sb = new StringBuilder();
    for (long v : inRingMicros) {
      sb.append(rate).append("\tin\tinvite-180\t").append(v).append('\n');
    }
    for (long v : inAnswerMicros) {
      sb.append(rate).append("\tin\tinvite-200\t").append(v).append('\n');
    }
    for (long v : outConnectMicros) {
      sb.append(rate).append("\tout\tstartcall-connected\t").append(v).append('\n');
    }
    return sb.toString();
  }
}
