package org.sipline.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.api.lines.v1.CaughtUp;
import org.sipline.api.lines.v1.Gap;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.core.Line;
import org.sipline.core.LineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WatchStatus stream. Per watched line it keeps a cursor: the last sequence number handed to
 * the client. A line is either <em>live</em> (its new statuses go into this stream's bounded queue
 * as the line records them) or <em>catching up</em> (its statuses are read from the line's history
 * after the cursor, a chunk at a time, only when the queue is empty and the client ready). Every
 * line starts catching up from the request's cursor and turns live once it has read the newest
 * entry; a live line whose status finds the queue full falls back to catching up, so a slow client
 * costs at most the queue, never an unbounded buffer, and loses nothing the history still holds.
 * What the history no longer holds is reported as a {@link Gap}, never skipped silently.
 *
 * <p>Events go out only while the call is ready (gRPC flow control, as {@link MediaEventPump}):
 * whatever wakes it only asks for a drain, drains run one at a time on the executor given, the
 * stream's Netty event loop in the server ({@link DrainHome}).
 */
final class StatusWatch {
  private static final Logger log = LoggerFactory.getLogger(StatusWatch.class);

  /** Entries read from a history per step of a catch-up. */
  static final int CHUNK = 64;

  private final ServerCallStreamObserver<WatchEvent> call;
  private final Executor pool;
  private final StatusEvents events;
  private final int capacity;
  private final String label;

  /** Wake-ups not yet answered by a drain; the one that takes it from 0 starts the drain. */
  private final AtomicInteger wanted = new AtomicInteger();

  /** One instance for every wake-up: a status wakes every watcher's stream. */
  private final Runnable drainTask = this::drain;

  private final Object lock = new Object();

  // Guarded by lock.
  private final ArrayDeque<WatchEvent> queue = new ArrayDeque<>();
  private final List<Cursor> cursors = new ArrayList<>();
  private int catchingUp;
  private boolean ended;

  // Set once by start(); read by add() on the thread that creates a line.
  private volatile boolean started;

  // Drains only.
  private boolean caughtUpSent;
  private long sent;
  private long gaps;

  private final List<AutoCloseable> hooks = new ArrayList<>();

  /** One watched line. */
  private static final class Cursor {
    final String name;
    final Line line;

    // Guarded by lock.
    long last;
    boolean live;

    Cursor(String name, Line line, long after) {
      this.name = name;
      this.line = line;
      this.last = after;
    }
  }

  /**
   * @param events where the events of statuses are made, once for every watcher of a line
   * @param capacity how many live statuses may wait for a slow client before its lines fall back to
   *     reading the history
   */
  StatusWatch(
      ServerCallStreamObserver<WatchEvent> call,
      Executor pool,
      StatusEvents events,
      int capacity,
      String label) {
    this.call = call;
    this.pool = pool;
    this.events = events;
    this.capacity = capacity;
    this.label = label;
  }

  /**
   * Watches {@code line} from {@code after}.
   *
   * @throws IllegalArgumentException when {@code after} lies beyond the line's newest entry (the
   *     numbering restarted: the server ran without --journal)
   */
  void add(String name, Line line, long after) {
    long newest = line.status().sequence();
    if (after > newest) {
      throw new IllegalArgumentException(
          "after_seq "
              + after
              + " is beyond line '"
              + name
              + "''s newest entry "
              + newest
              + " (did the server restart without --journal?)");
    }
    Cursor c = new Cursor(name, line, after);
    synchronized (lock) {
      cursors.add(c);
      catchingUp++;
    }
    hooks.add(line.watch(s -> recorded(c, s)));
    if (started) {
      // A line created while the stream runs: its cursor catches up in a drain, and a drain that
      // found every line live and nothing queued will not run again until something wakes it.
      wake();
    }
  }

  /** Keeps {@code hook} until the stream ends (a subscription to lines added later). */
  void hold(AutoCloseable hook) {
    hooks.add(hook);
  }

  void start() {
    started = true;
    call.setOnReadyHandler(this::wake);
    call.setOnCancelHandler(this::cancelled);
    log.info("WatchStatus {} opened", label);
    wake();
  }

  /** On the line's thread, right after the status was appended to its history. */
  private void recorded(Cursor c, LineStatus s) {
    synchronized (lock) {
      if (ended || !c.live || s.sequence() <= c.last) {
        return;
      }
      if (queue.size() >= capacity) {
        // The client is slow: stop queueing for this line, read its history later instead.
        c.live = false;
        catchingUp++;
        return;
      }
      queue.addLast(entry(c, s));
      c.last = s.sequence();
    }
    wake();
  }

  private void cancelled() {
    synchronized (lock) {
      ended = true;
      queue.clear();
    }
    for (AutoCloseable h : hooks) {
      try {
        h.close();
      } catch (Exception e) {
        // Unhooking a listener: nothing anyone could act on.
      }
    }
    log.info("WatchStatus {} ended by the client: {} statuses sent, {} gap(s)", label, sent, gaps);
  }

  /** Asks for a drain; cheap, never blocks, callable from any thread. */
  void wake() {
    if (wanted.getAndIncrement() != 0) {
      return;
    }
    try {
      pool.execute(drainTask);
    } catch (RejectedExecutionException e) {
      wanted.set(0); // the server is stopping: gRPC cancels the call itself
    }
  }

  private void drain() {
    int missed = 1;
    while (true) {
      try {
        drainOnce();
      } catch (RuntimeException e) {
        synchronized (lock) {
          if (ended) {
            return;
          }
          ended = true;
        }
        try {
          call.onError(GrpcErrors.toStatus(e, "WatchStatus " + label));
        } catch (RuntimeException ignored) {
          // the call is already closed
        }
      }
      missed = wanted.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /**
   * Sends while the client is ready. One lock per event: it takes the event and learns whether the
   * stream has anything else to do, so the usual drain — one new status, every line live — is one
   * lock and one {@code onNext}. Whatever a line records after that lock wakes the stream again.
   */
  private void drainOnce() {
    while (call.isReady()) {
      WatchEvent next;
      boolean more;
      boolean allLive;
      synchronized (lock) {
        if (ended) {
          return;
        }
        next = queue.pollFirst();
        more = !queue.isEmpty();
        allLive = catchingUp == 0;
      }
      if (next != null) {
        send(next);
        if (!more && allLive && caughtUpSent) {
          return;
        }
        continue;
      }
      if (!allLive && catchUpStep()) {
        continue;
      }
      if (!caughtUpSent) {
        caughtUpSent = true;
        call.onNext(WatchEvent.newBuilder().setCaughtUp(CaughtUp.getDefaultInstance()).build());
      }
      return;
    }
  }

  private void send(WatchEvent event) {
    if (event.hasGap()) {
      gaps++;
    } else {
      sent++;
    }
    call.onNext(event);
  }

  /**
   * Reads the next chunk of one catching-up line's history into the queue, or turns it live when it
   * has read the newest entry.
   *
   * @return false when every line is live (nothing to read)
   */
  private boolean catchUpStep() {
    Cursor c = null;
    long from;
    synchronized (lock) {
      for (Cursor k : cursors) {
        if (!k.live) {
          c = k;
          break;
        }
      }
      if (c == null) {
        return false;
      }
      from = c.last;
    }
    List<LineStatus> chunk = c.line.historyAfter(from, CHUNK);
    long oldest = c.line.oldestSequence();
    synchronized (lock) {
      if (ended || c.last != from) {
        return true;
      }
      if (chunk.isEmpty()) {
        // Anything recorded after this check is queued by recorded(), which takes the lock
        // after the history append: nothing falls between the two.
        if (c.line.status().sequence() <= c.last) {
          c.live = true;
          catchingUp--;
        }
        return true;
      }
      long first = chunk.get(0).sequence();
      if (first > c.last + 1) {
        queue.addLast(gap(c, c.last + 1, first - 1, oldest));
      }
      for (LineStatus s : chunk) {
        queue.addLast(entry(c, s));
      }
      c.last = chunk.get(chunk.size() - 1).sequence();
    }
    return true;
  }

  private WatchEvent entry(Cursor c, LineStatus s) {
    return events.of(c.name, s);
  }

  private WatchEvent gap(Cursor c, long first, long last, long oldest) {
    String reason =
        "entries "
            + first
            + ".."
            + last
            + " of line '"
            + c.name
            + "' are no longer in its history (it keeps the newest --history-limit entries, "
            + "from "
            + oldest
            + " now); this watcher fell further behind than that";
    log.warn("WatchStatus {}: {}", label, reason);
    return WatchEvent.newBuilder()
        .setGap(
            Gap.newBuilder()
                .setLine(c.name)
                .setFirstMissingSeq(first)
                .setLastMissingSeq(last)
                .setOldestSeq(oldest)
                .setReason(reason))
        .build();
  }

  /** Refuses the stream before it started. */
  static void refuse(ServerCallStreamObserver<WatchEvent> call, Status status) {
    call.onError(status.asRuntimeException());
  }

  /** The lines named in a request's map that the server does not host. */
  static List<String> unknown(Map<String, Long> byLine, ServedLines lines) {
    List<String> missing = new ArrayList<>();
    for (String name : byLine.keySet()) {
      if (lines.byName(name) == null) {
        missing.add(name);
      }
    }
    return missing;
  }
}
