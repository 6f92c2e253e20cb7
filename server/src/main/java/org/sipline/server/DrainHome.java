package org.sipline.server;

import io.grpc.netty.shaded.io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;

/**
 * Where a WatchStatus stream's drains run: the Netty event loop its rpc arrived on (the server runs
 * rpcs there, {@code directExecutor()}), else the given pool (the in-process transport of tests).
 *
 * <p>Why the event loop: a status goes to every watcher of a line at once, and a drain on a pool
 * thread hands each stream's message to the event loop separately, so the loop woke and flushed a
 * write per stream or per few streams. Drains queued on the loop itself run back to back, and
 * gRPC's write queue then flushes a connection's messages of one status together (issue 13,
 * BENCHMARKS.md §8). A drain only moves ready events into Netty's buffers and never waits, so it
 * may run there.
 */
final class DrainHome {
  private DrainHome() {}

  /** The calling thread's Netty event loop, or {@code fallback} when it is not one. */
  static Executor current(Executor fallback) {
    Executor loop = ThreadExecutorMap.currentExecutor();
    return loop != null ? loop : fallback;
  }
}
