package org.sipline.backend.jainsip.media;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one clock every outgoing RTP stream of the JVM is sent on.
 *
 * <p>Time is cut into ticks of {@code 20 ms / slots}; tick {@code t} is due at the absolute
 * deadline {@code epoch + t × slotWidth}, and belongs to slot {@code t mod slots}. Each stream is
 * put into the least loaded slot when it is added, so its frames are due at {@code slot offset + n
 * × 20 ms}: streams are spread across the period instead of bursting together, and since every
 * deadline is computed from the epoch, waking late never shifts the next one.
 *
 * <p>One thread does the waiting ({@link MediaClock#awaitDeadline}) and the sending; per tick it
 * touches only the streams of that tick's slot and allocates nothing. A wake-up that comes late
 * sends at once (counted {@code late} when more than {@value #LATE_MILLIS} ms late); one that comes
 * more than {@value #MAX_BEHIND_FRAMES} frames late (a GC pause, a stalled machine) skips the
 * frames older than one period instead of bursting them, counting them {@code skipped}.
 *
 * <p>{@link #add} and {@link Registration#cancel} may be called from any thread. A cancelled stream
 * gets at most one more call (one whose check raced with {@code cancel}; the stream's own closed
 * state covers that) and is dropped from its slot when the pacer next visits it.
 *
 * <p>An engine may run several pacers ({@link Pacers}), each with its own thread and its own share
 * of the streams; a stream stays on the pacer it was added to.
 *
 * <p>The thread first asks for real-time scheduling ({@link RealtimeScheduling}) when told to.
 * Under SCHED_FIFO nothing of normal priority can take its CPU, so it must never hold one for long:
 * it parks between deadlines ({@link MediaClock#awaitDeadline}, spinning at most the clock's last
 * {@value PreciseClock#SPIN_NANOS} ns before each), and after a failed step it parks {@value
 * #FAILURE_PAUSE_MILLIS} ms instead of retrying at once in a loop.
 */
final class Pacer implements AutoCloseable {
  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  static final int DEFAULT_SLOTS = 20;
  static final long LATE_MILLIS = 5;
  static final int MAX_BEHIND_FRAMES = 3;

  private static final Logger log = LoggerFactory.getLogger(Pacer.class);
  private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(LATE_MILLIS);

  /** How long an idle pacer sleeps before it looks again; an add wakes it earlier. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  static final long FAILURE_PAUSE_MILLIS = 1;

  /** How long {@link #start} waits for the thread to report its scheduling. */
  private static final long START_TIMEOUT_SECONDS = 10;

  private final MediaClock clock;
  private final int slotCount;
  private final long slotNanos;
  private final long epoch;
  private final String threadName;
  private final Queue<Registration> added = new ConcurrentLinkedQueue<>();

  /** Streams added and not cancelled: what {@link Pacers} balances on; any thread. */
  private final AtomicInteger load = new AtomicInteger();

  private final Registration[][] slots;
  private final int[] slotSizes;
  private int active;

  /** The first tick not yet served. */
  private long cursor;

  private boolean idle = true;
  private long failures;
  private volatile boolean closed;
  private volatile Thread thread;
  private volatile LongConsumer lagObserver = lag -> {};
  private final CompletableFuture<PacerScheduling> scheduling = new CompletableFuture<>();

  Pacer(MediaClock clock) {
    this(clock, DEFAULT_SLOTS);
  }

  /**
   * @param slots how many phases the period is cut into; must divide 20 ms into whole nanoseconds
   */
  Pacer(MediaClock clock, int slots) {
    this(clock, slots, 0, "sipline-rtp-pacer");
  }

  /**
   * @param slots how many phases the period is cut into; must divide 20 ms into whole nanoseconds
   * @param phaseNanos how far this pacer's ticks lie after the clock's present, so that several
   *     pacers' ticks fall between each other's instead of together
   * @param threadName its thread's name
   */
  Pacer(MediaClock clock, int slots, long phaseNanos, String threadName) {
    if (slots < 1 || PERIOD_NANOS % slots != 0) {
      throw new IllegalArgumentException("slots must divide " + PERIOD_NANOS + " ns: " + slots);
    }
    this.clock = clock;
    this.slotCount = slots;
    this.slotNanos = PERIOD_NANOS / slots;
    this.epoch = clock.nanoTime() + phaseNanos;
    this.threadName = threadName;
    this.slots = new Registration[slots][];
    for (int i = 0; i < slots; i++) {
      this.slots[i] = new Registration[4];
    }
    this.slotSizes = new int[slots];
  }

  /** Tells {@code observer} how late (ns) each served tick was; called on the pacer's thread. */
  void observeLag(LongConsumer observer) {
    lagObserver = observer;
  }

  /** Starts the pacer thread at normal priority; {@link #close} stops it. */
  void start() {
    start(RealtimeScheduling.off());
  }

  /**
   * Starts the pacer thread, which first makes the scheduling request {@code realtime}; returns
   * once it has, so that {@link #scheduling} is known. {@link #close} stops the thread.
   *
   * @throws IllegalStateException when the thread did not report within 10 s
   */
  // The pacer's lateness is what the product is measured by; the priority is a hint on top of
  // SCHED_FIFO (RealtimeScheduling), which is what really keeps it on time.
  @SuppressWarnings("ThreadPriorityCheck")
  void start(RealtimeScheduling realtime) {
    Thread t = new Thread(() -> run(realtime), threadName);
    t.setDaemon(true);
    t.setPriority(Thread.MAX_PRIORITY);
    thread = t;
    t.start();
    try {
      scheduling.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the RTP pacer thread started", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "RTP pacer thread did not report its scheduling within " + START_TIMEOUT_SECONDS + " s",
          e);
    }
  }

  /** How the pacer thread is scheduled; only known once {@link #start} has returned. */
  PacerScheduling scheduling() {
    PacerScheduling s = scheduling.getNow(null);
    if (s == null) {
      throw new IllegalStateException("RTP pacer not started");
    }
    return s;
  }

  /** Adds a stream; its first frame is due at its slot's next deadline. */
  Registration add(PacedStream stream) {
    if (closed) {
      throw new IllegalStateException("pacer closed");
    }
    Registration r = new Registration(this, stream);
    load.incrementAndGet();
    added.add(r);
    LockSupport.unpark(thread);
    return r;
  }

  /** Streams added and not cancelled yet. */
  int load() {
    return load.get();
  }

  /** Stops the thread and waits for it; streams are not called afterwards. */
  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    t.interrupt();
    try {
      t.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      log.warn("RTP pacer thread did not stop within 2 s");
    }
  }

  private void run(RealtimeScheduling realtime) {
    PacerScheduling granted;
    try {
      granted = realtime.applyToCurrentThread();
    } catch (RuntimeException e) {
      // Not expected (the request catches its own failures), but the pacer must run regardless.
      log.error("RTP pacer could not ask for its scheduling; it runs at normal priority", e);
      granted = PacerScheduling.normal(RealtimeScheduling.kernelThreadId(), e.toString());
    }
    scheduling.complete(granted);
    while (!closed) {
      try {
        step();
      } catch (RuntimeException e) {
        // The pacer serves every call of the JVM: one bad frame must not stop them all. A step
        // that failed may fail again at once: pause, so that a FIFO pacer in such a loop leaves
        // the CPU to others instead of holding it.
        log.error("RTP pacer step failed; continuing", e);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FAILURE_PAUSE_MILLIS));
      }
    }
  }

  /**
   * One turn of the loop: takes in new streams, then either waits towards the next busy tick or,
   * when it is due, serves it. Tests on a fake clock call this directly instead of starting the
   * thread.
   */
  void step() {
    drainAdded();
    long now = clock.nanoTime();
    if (active == 0) {
      idle = true;
      clock.awaitDeadline(now + IDLE_NANOS);
      return;
    }
    if (idle) {
      cursor = firstTickAtOrAfter(now);
      idle = false;
    }
    long tick = nextBusyTick(cursor);
    long deadline = deadlineOf(tick);
    if (now < deadline) {
      clock.awaitDeadline(deadline);
      return;
    }
    long lag = now - deadline;
    if (lag > MAX_BEHIND_FRAMES * PERIOD_NANOS) {
      skipTo(firstTickAtOrAfter(now - PERIOD_NANOS + 1));
      return;
    }
    serve(tick, lag);
    lagObserver.accept(lag);
    cursor = tick + 1;
  }

  /** The absolute time tick {@code tick} is due; exposed for tests. */
  long deadlineOf(long tick) {
    return epoch + tick * slotNanos;
  }

  int slotCount() {
    return slotCount;
  }

  private long firstTickAtOrAfter(long nanos) {
    return -Math.floorDiv(epoch - nanos, slotNanos);
  }

  private int slotOf(long tick) {
    return (int) Math.floorMod(tick, (long) slotCount);
  }

  private long nextBusyTick(long from) {
    for (int k = 0; k < slotCount; k++) {
      if (slotSizes[slotOf(from + k)] > 0) {
        return from + k;
      }
    }
    throw new IllegalStateException(active + " streams but every slot empty");
  }

  private void drainAdded() {
    Registration r;
    while ((r = added.poll()) != null) {
      if (r.cancelled) {
        continue;
      }
      int slot = leastLoadedSlot();
      long now = clock.nanoTime();
      long first = firstTickAtOrAfter(now);
      first += Math.floorMod(slot - slotOf(first), (long) slotCount);
      r.slot = slot;
      r.firstTick = first;
      Registration[] regs = slots[slot];
      if (slotSizes[slot] == regs.length) {
        regs = slots[slot] = Arrays.copyOf(regs, regs.length * 2);
      }
      regs[slotSizes[slot]++] = r;
      active++;
    }
  }

  private int leastLoadedSlot() {
    int best = 0;
    for (int s = 1; s < slotCount; s++) {
      if (slotSizes[s] < slotSizes[best]) {
        best = s;
      }
    }
    return best;
  }

  // Single writer (the pacer thread), readers anywhere: volatile is for visibility, ++ cannot race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void serve(long tick, long lag) {
    int slot = slotOf(tick);
    Registration[] regs = slots[slot];
    int i = 0;
    while (i < slotSizes[slot]) {
      Registration r = regs[i];
      if (r.cancelled) {
        removeAt(slot, i);
        continue;
      }
      i++;
      if (tick < r.firstTick) {
        continue;
      }
      try {
        r.stream.sendFrame();
      } catch (RuntimeException e) {
        logFailure(e);
      }
      r.frames++;
      if (lag > LATE_NANOS) {
        r.late++;
      }
    }
  }

  // Single writer (the pacer thread), readers anywhere: volatile is for visibility, ++ cannot race.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void skipTo(long target) {
    for (int slot = 0; slot < slotCount; slot++) {
      Registration[] regs = slots[slot];
      for (int i = 0; i < slotSizes[slot]; i++) {
        Registration r = regs[i];
        long from = Math.max(cursor, r.firstTick);
        int frames = (int) ticksOfSlot(slot, from, target);
        if (frames > 0 && !r.cancelled) {
          try {
            r.stream.skipFrames(frames);
          } catch (RuntimeException e) {
            logFailure(e);
          }
          r.skipped += frames;
        }
      }
    }
    log.warn(
        "RTP pacer fell {} ms behind; skipped to the current frame",
        TimeUnit.NANOSECONDS.toMillis(deadlineOf(target) - deadlineOf(cursor)));
    cursor = target;
  }

  /** How many ticks of {@code slot} lie in [from, to). */
  private long ticksOfSlot(int slot, long from, long to) {
    if (to <= from) {
      return 0;
    }
    return Math.floorDiv(to - 1 - slot, (long) slotCount)
        - Math.floorDiv(from - 1 - slot, (long) slotCount);
  }

  private void removeAt(int slot, int index) {
    Registration[] regs = slots[slot];
    int last = --slotSizes[slot];
    regs[index] = regs[last];
    regs[last] = null;
    active--;
  }

  private void logFailure(RuntimeException e) {
    // Rate-limited by count: the first few, then every 1000th, so a broken source cannot flood.
    failures++;
    if (failures <= 5 || failures % 1000 == 0) {
      log.error("RTP stream failed to produce a frame ({} failures so far)", failures, e);
    }
  }

  /** A stream's place on the pacer and its counters (written by the pacer thread only). */
  static final class Registration {
    private final Pacer pacer;
    private final PacedStream stream;
    private volatile boolean cancelled;
    // Set by the pacer thread when it takes the stream in; read by tests.
    private volatile int slot = -1;
    private volatile long firstTick;
    private volatile long frames;
    private volatile long late;
    private volatile long skipped;

    private Registration(Pacer pacer, PacedStream stream) {
      this.pacer = pacer;
      this.stream = stream;
    }

    /** Stops the stream; safe from any thread, idempotent. */
    void cancel() {
      synchronized (this) {
        if (cancelled) {
          return;
        }
        cancelled = true;
      }
      pacer.load.decrementAndGet();
    }

    boolean cancelled() {
      return cancelled;
    }

    /** The pacer that sends the stream. */
    Pacer pacer() {
      return pacer;
    }

    /** The slot the stream was put in, or -1 before the pacer took it in. */
    int slot() {
      return slot;
    }

    long firstTick() {
      return firstTick;
    }

    /** Frames the stream was asked to send. */
    long frames() {
      return frames;
    }

    /** Of those, how many were asked for more than {@value Pacer#LATE_MILLIS} ms late. */
    long late() {
      return late;
    }

    /** Frames dropped because the pacer fell behind. */
    long skipped() {
      return skipped;
    }
  }
}
