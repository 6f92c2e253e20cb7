package org.sipline.core;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.Capacity;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.FinalResponse;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines of one process on one backend (SPEC §7). Lines are opened on the switchboard as their
 * backend; it passes everything through except what concerns more than one line, which is decided
 * here, once, for every backend:
 *
 * <ul>
 *   <li>An account registered by several lines (a trunk identity) is registered with the backend
 *       once; each line holds a membership, and the binding goes when the last member leaves.
 *   <li>An incoming INVITE for an account is offered to its member lines one at a time, in the
 *       order the lines were opened: the first whose session is that account, not ending, and has
 *       no call takes it. Each offer is decided on the line's own actor and the next is made only
 *       after a refusal, so the same INVITE can never ring two lines. None takes it: 486 Busy Here
 *       (480 when no member has a session).
 *   <li>While draining, every new INVITE is answered 503 and so is OPTIONS; otherwise OPTIONS says
 *       200 while some line is free and 486 when none is (see {@link Capacity}).
 * </ul>
 */
public final class Switchboard implements SipBackend {
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

  /** What a line says to an INVITE offered to it (or, as a hint, would say). */
  enum Verdict {
    TAKEN,
    BUSY,
    NO_SESSION
  }

  /** A line's side of an offer; the core's own lines implement it. */
  interface Taker {
    /** The line's name, for the log. */
    String lineName();

    /** Creation order of the line: lower is offered first. */
    long rank();

    /** A hint read without waiting for the line: would it take an INVITE now? */
    boolean looksFree();

    /** A hint: is this account the line's active session (busy or not)? */
    boolean hasSession();

    /** Decides on the line's actor and reports the verdict; never throws. */
    void offer(SipCall call, IncomingCall info, Consumer<Verdict> verdict);
  }

  /** First REGISTERs per second when nobody says otherwise ({@code --register-rate}). */
  public static final double DEFAULT_REGISTER_RATE = 20;

  private final SipBackend backend;
  private final Map<String, Trunk> trunks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService pacerTimer;
  private final RegisterPacer pacer;
  private volatile boolean draining;

  private Switchboard(SipBackend backend, double registerRate) {
    this.backend = backend;
    this.pacerTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sipline-register-pacer");
              t.setDaemon(true);
              return t;
            });
    this.pacer =
        new RegisterPacer(
            registerRate,
            (task, delayNanos) -> {
              // Nothing to cancel: a cancelled ticket is only taken out of the pacer's line.
              var unused = pacerTimer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            },
            System::nanoTime);
  }

  /**
   * A switchboard over {@code backend}, which it owns from now on (closed with it), pacing first
   * REGISTERs at {@link #DEFAULT_REGISTER_RATE}.
   *
   * @param backend the backend all lines share
   * @return the switchboard
   */
  public static Switchboard over(SipBackend backend) {
    return over(backend, DEFAULT_REGISTER_RATE);
  }

  /**
   * A switchboard over {@code backend} that sends the first REGISTER of its accounts at most {@code
   * registerRate} per second, in the order the lines asked.
   *
   * @param backend the backend all lines share
   * @param registerRate first REGISTERs per second, more than 0
   * @return the switchboard
   */
  public static Switchboard over(SipBackend backend, double registerRate) {
    Switchboard board = new Switchboard(Objects.requireNonNull(backend, "backend"), registerRate);
    // The pacer here keeps the queue; the backend keeps the pace where the REGISTER leaves.
    backend.paceFirstRegisters(registerRate);
    backend.answerOptionsWith(board::capacity);
    return board;
  }

  /**
   * How many accounts wait for their turn to send a first REGISTER.
   *
   * @return the count
   */
  public int registersWaiting() {
    return pacer.waiting();
  }

  @Override
  public String name() {
    return backend.name();
  }

  @Override
  public org.sipline.core.spi.BackendConfig config() {
    return backend.config();
  }

  /**
   * Registers {@code spec} for a line, or makes the line one more member of the account when
   * another line registered it already (with the same credentials and proxy).
   *
   * @throws IllegalStateException when another line holds the account with other credentials
   */
  @Override
  public synchronized SipAccount register(AccountSpec spec, SipEventListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(listener, "listener");
    Trunk trunk = trunks.get(spec.accountName());
    if (trunk == null) {
      Trunk fresh = new Trunk(this, spec);
      trunks.put(spec.accountName(), fresh);
      try {
        fresh.queued(
            pacer.submit(
                queued ->
                    // The core picks the line, so the backend must let every call of the account
                    // ring.
                    fresh.start(
                        queued,
                        () -> backend.register(spec.withMaxCalls(Integer.MAX_VALUE), fresh))));
      } catch (RuntimeException e) {
        trunks.remove(spec.accountName(), fresh);
        throw e;
      }
      trunk = fresh;
    } else if (!trunk.spec().equals(spec)) {
      throw new IllegalStateException(
          "account "
              + spec.accountName()
              + " is registered by another line with other credentials or outbound proxy; "
              + "lines share an account only when they register it alike");
    }
    return trunk.join(listener);
  }

  /** The backend forgot the account (first REGISTER failed) or its last member left. */
  void forget(Trunk trunk) {
    trunks.remove(trunk.spec().accountName(), trunk);
  }

  /** From now on every new INVITE and OPTIONS is answered 503. There is no way back. */
  public void drain() {
    if (!draining) {
      draining = true;
      log.info("Draining: new INVITEs and OPTIONS are answered 503 Service Unavailable");
    }
  }

  /**
   * Whether the process drains: new calls are refused 503, calls in progress go on.
   *
   * @return true while draining
   */
  public boolean isDraining() {
    return draining;
  }

  /**
   * What an OPTIONS to the process is answered now.
   *
   * @return the capacity: lines, calls, and whether the process drains
   */
  public Capacity capacity() {
    if (draining) {
      return Capacity.DRAINING;
    }
    for (Trunk t : trunks.values()) {
      if (t.anyLooksFree()) {
        return Capacity.FREE;
      }
    }
    return Capacity.FULL;
  }

  @Override
  public CompletableFuture<FinalResponse> endOrphanedDialog(DialogRecord dialog) {
    return backend.endOrphanedDialog(dialog);
  }

  @Override
  public CompletableFuture<FinalResponse> removeBinding(
      BindingRecord binding, AccountSpec credentials) {
    return backend.removeBinding(binding, credentials);
  }

  @Override
  public void paceFirstRegisters(double perSecond) {
    throw new UnsupportedOperationException(
        "the switchboard's register rate is set when it is made (Switchboard.over)");
  }

  @Override
  public void answerOptionsWith(java.util.function.Supplier<Capacity> capacity) {
    throw new UnsupportedOperationException(
        "the switchboard answers OPTIONS itself, from its lines");
  }

  @Override
  public void close() {
    pacerTimer.shutdownNow();
    backend.close();
  }
}
