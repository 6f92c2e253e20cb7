package org.sipline.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.sipline.api.sip.SipGrpc;

/**
 * Where the server runs each rpc. Most rpcs only hand their fields to the line and answer from its
 * future, so they run on the Netty event loop that read them ({@code directExecutor()}): no thread
 * hand-off on their way in or out. Two rpcs carry or build data in proportion to their size and
 * would hold that event loop (and every other connection on it) for milliseconds: SipPlayWavFiles
 * parses up to {@code --max-wav-bytes} of request, copies it and decodes and resamples every file;
 * SipGetSipStatusHistory converts up to {@code --history-limit} statuses. Those run on a pool of
 * their own, one thread per core, idle threads ending after a while. So does any rpc whose bearer
 * token can only be checked after fetching the OIDC provider's keys (a JWKS cache that expired, a
 * key id not seen yet): that fetch blocks, which an event loop must never do.
 */
final class BulkCallExecutor implements ServerCallExecutorSupplier, AutoCloseable {
  /** Full method names of the rpcs that run on the pool. */
  static final Set<String> BULK_METHODS =
      Set.of(
          SipGrpc.getSipPlayWavFilesMethod().getFullMethodName(),
          SipGrpc.getSipGetSipStatusHistoryMethod().getFullMethodName());

  private static final Duration IDLE = Duration.ofSeconds(30);

  /** True on the pool's threads: code there may block. */
  private static final ThreadLocal<Boolean> ON_POOL = ThreadLocal.withInitial(() -> false);

  private final ThreadPoolExecutor pool;
  private final Predicate<Metadata> mayNeedToBlock;

  BulkCallExecutor() {
    this(headers -> false);
  }

  /**
   * @param mayNeedToBlock whether a call with these headers may block before it reaches its service
   *     (the token check's {@link BearerTokenInterceptor#wouldBlock})
   */
  BulkCallExecutor(Predicate<Metadata> mayNeedToBlock) {
    this.mayNeedToBlock = mayNeedToBlock;
    int threads = Runtime.getRuntime().availableProcessors();
    AtomicInteger n = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            IDLE.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Runnable marked =
                  () -> {
                    ON_POOL.set(true);
                    r.run();
                  };
              Thread t = new Thread(marked, "sipline-grpc-bulk-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /** The pool for a bulk rpc; null (the server's direct executor) for every other. */
  @Override
  public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
    return BULK_METHODS.contains(call.getMethodDescriptor().getFullMethodName())
            || mayNeedToBlock.test(headers)
        ? pool
        : null;
  }

  /** Whether the current thread is one of a {@code BulkCallExecutor}'s, where blocking is fine. */
  static boolean onPoolThread() {
    return ON_POOL.get();
  }

  /** Ends the pool's threads; called once gRPC has stopped, so no rpc is left to run. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
