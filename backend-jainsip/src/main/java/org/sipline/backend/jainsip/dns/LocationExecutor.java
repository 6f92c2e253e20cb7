package org.sipline.backend.jainsip.dns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ServerLocator} on threads of its own, a few and with a bounded queue, so that a slow
 * or silent name server holds up only the requests that wait for its answer: never the SIP thread,
 * never a line's actor. The outcome comes back through a callback, which the caller turns into an
 * event on its own thread.
 */
public final class LocationExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocationExecutor.class);

  /** Lookups at once: a black-holed name occupies one thread for up to its bound. */
  static final int THREADS = 4;

  /** Lookups waiting for a thread; past this a location fails at once, saying so. */
  static final int QUEUE = 1024;

  private final ServerLocator locator;
  private final ThreadPoolExecutor executor;

  /**
   * What a location came to: targets in order, or the failure that says why there are none.
   *
   * @param targets the targets in the order to try them; empty on failure
   * @param failure what went wrong, naming the lookup; null on success
   */
  public record Outcome(List<SipTarget> targets, String failure) {
    /**
     * Whether targets were found.
     *
     * @return true when {@link #failure()} is null
     */
    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * Starts no thread yet: they come with the first lookups and go after 30 s idle.
   *
   * @param locator what runs on the threads
   * @param group the group the threads are made in
   * @param name the threads' name prefix
   */
  public LocationExecutor(ServerLocator locator, ThreadGroup group, String name) {
    this.locator = locator;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(group, r, name + "-" + n.incrementAndGet());
              // Daemon: close() ends them; an unclosed backend must not keep the JVM alive.
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * The targets for {@code uri} if it needs no lookup (a numeric host), else null: the caller can
   * then send at once, without a round trip through the executor.
   *
   * @param uri what to locate
   * @param transport the transport to send with
   * @return the one target of a numeric host, or null for a name
   */
  public List<SipTarget> immediate(SipUri uri, Transport transport) {
    if (IpLiteral.parse(uri.host()) == null) {
      return null;
    }
    try {
      return locator.locate(uri, transport, Duration.ZERO);
    } catch (LookupFailedException e) {
      throw new IllegalStateException("a numeric host needs no lookup: " + uri, e);
    }
  }

  /**
   * Locates {@code uri} on a lookup thread and hands the outcome to {@code done} (on that thread,
   * or on the caller's when the queue is full or the executor closed).
   *
   * @param uri what to locate
   * @param transport the transport to send with
   * @param bound how long the location may take
   * @param done told the outcome, once
   */
  public void locate(SipUri uri, Transport transport, Duration bound, Consumer<Outcome> done) {
    Runnable task =
        () -> {
          Outcome outcome;
          try {
            outcome = new Outcome(locator.locate(uri, transport, bound), null);
          } catch (LookupFailedException e) {
            outcome = new Outcome(List.of(), e.getMessage());
          } catch (RuntimeException e) {
            // dnsjava should not throw, but a malformed answer must end in a status, not silence.
            log.warn("locating {}: {}", uri, e.toString(), e);
            outcome = new Outcome(List.of(), "DNS lookup of " + uri.host() + " failed: " + e);
          }
          done.accept(outcome);
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      done.accept(
          new Outcome(
              List.of(),
              executor.isShutdown()
                  ? "DNS lookup of " + uri.host() + ": the backend is closing"
                  : "DNS lookup of " + uri.host() + ": " + QUEUE + " lookups already waiting"));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
