package org.sipline.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.sipline.core.Switchboard.Taker;
import org.sipline.core.Switchboard.Verdict;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account registered with the backend on behalf of one or more lines (its members): the
 * backend's listener for it, fanning registration events out to every member and each call's events
 * to the one member the call belongs to. See {@link Switchboard}.
 */
final class Trunk implements SipEventListener {
  private static final Logger log = LoggerFactory.getLogger(Trunk.class);

  /** Set while a member places a call, for events the backend reports before call() returns. */
  private static final ThreadLocal<Placement> PLACING = new ThreadLocal<>();

  private static final Comparator<Member> OFFER_ORDER =
      Comparator.comparingLong(Member::rank).thenComparingLong(m -> m.joined);

  /** Breaks ties of rank (listeners that are not lines all rank last) in the order they joined. */
  private static final AtomicLong JOINED = new AtomicLong();

  private final Switchboard board;
  private final AccountSpec spec;
  private final List<Member> members = new CopyOnWriteArrayList<>();

  /**
   * The members that look free, in offer order: an INVITE goes to the first of them instead of
   * walking every member (at hundreds of lines on one trunk that walk grew with the lines, 2.5 % of
   * the process at 100 calls/s each way, BENCHMARKS.md §11). A hint, as {@link Member#looksFree()}
   * is: kept in step by {@link #freeChanged}, checked again when offered, and the line decides.
   */
  private final ConcurrentSkipListSet<Member> free = new ConcurrentSkipListSet<>(OFFER_ORDER);

  private final Map<SipCall, Route> routes = new ConcurrentHashMap<>();
  private final Object placing = new Object();
  private volatile SipAccount real;

  // Guarded by this.
  private boolean registered;
  private boolean everRegistered;
  private int expires;
  private Member lastToLeave;
  private RegisterPacer.Ticket ticket;
  private boolean started;
  private boolean abandoned;
  private final List<Runnable> onSent = new ArrayList<>();

  Trunk(Switchboard board, AccountSpec spec) {
    this.board = board;
    this.spec = spec;
  }

  AccountSpec spec() {
    return spec;
  }

  /** The queued first REGISTER, cancelled when every member leaves before it is sent. */
  void queued(RegisterPacer.Ticket ticket) {
    synchronized (this) {
      this.ticket = ticket;
    }
  }

  /**
   * Registers the account with the backend, now that the pacer says it may. A start that waited
   * reports a backend refusal to the members as a failed first REGISTER; one run at once throws it
   * to the line that asked.
   */
  void start(boolean queued, Supplier<SipAccount> register) {
    synchronized (this) {
      if (abandoned) {
        return;
      }
    }
    SipAccount account;
    try {
      account = register.get();
    } catch (RuntimeException e) {
      if (!queued) {
        throw e;
      }
      registrationFailed(
          null,
          SipFailure.exception(
              "REGISTER " + spec.aor() + " could not be sent: " + e.getMessage(), e));
      return;
    }
    List<Runnable> toRun;
    boolean goneMeanwhile;
    synchronized (this) {
      real = account;
      started = true;
      toRun = List.copyOf(onSent);
      onSent.clear();
      goneMeanwhile = abandoned;
    }
    if (goneMeanwhile) {
      account.unregister(); // the last member left while the backend took the account
      return;
    }
    toRun.forEach(Runnable::run);
  }

  /** Runs {@code action} once the account's first REGISTER has been handed to the backend. */
  static void whenSent(SipAccount account, Runnable action) {
    if (account instanceof Member m) {
      m.trunk().whenSent(action);
    } else {
      action.run(); // a backend used without a switchboard: nothing paces it
    }
  }

  private void whenSent(Runnable action) {
    synchronized (this) {
      if (!started) {
        onSent.add(action);
        return;
      }
    }
    action.run();
  }

  Member join(SipEventListener listener) {
    Member m = new Member(listener);
    boolean tell;
    int granted;
    synchronized (this) {
      List<Member> sorted = new ArrayList<>(members);
      sorted.add(m);
      sorted.sort(OFFER_ORDER);
      members.clear();
      members.addAll(sorted);
      tell = registered;
      granted = expires;
    }
    m.refreshFree();
    if (members.size() > 1) {
      log.info(
          "{}: line '{}' shares the account ({} lines)",
          spec.accountName(),
          m.lineName(),
          members.size());
    }
    if (tell) {
      listener.registered(m, granted);
    }
    return m;
  }

  boolean anyLooksFree() {
    for (Member m : free) {
      if (m.looksFree()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The line behind {@code account} may have become free or busy: re-reads its hint into the
   * trunk's free set. Does nothing for an account no switchboard shares.
   *
   * <p>Called by the line on its actor after each change, so the last call for a member always
   * reads its latest state.
   */
  static void freeChanged(SipAccount account) {
    if (account instanceof Member m) {
      m.refreshFree();
    }
  }

  private void leave(Member m) {
    boolean last;
    boolean sent;
    RegisterPacer.Ticket queued;
    synchronized (this) {
      if (!members.remove(m)) {
        return;
      }
      m.left();
      last = members.isEmpty();
      sent = started;
      queued = ticket;
      if (last) {
        board.forget(this);
        if (sent) {
          lastToLeave = m;
        } else {
          abandoned = true;
          onSent.clear();
        }
      }
    }
    if (last && sent) {
      real.unregister();
    } else if (last) {
      // Its REGISTER never left (still waiting for its turn): nothing is bound, nothing to remove.
      if (queued != null) {
        queued.cancel();
      }
      m.listener.unregistered(m);
    } else {
      // The binding stays for the other members; for this line the account is gone.
      m.listener.unregistered(m);
    }
  }

  // ---- registration events: to every member ----------------------------------------------

  @Override
  public void registered(SipAccount account, int expiresSeconds) {
    synchronized (this) {
      registered = true;
      everRegistered = true;
      expires = expiresSeconds;
    }
    for (Member m : members) {
      m.listener.registered(m, expiresSeconds);
    }
  }

  @Override
  public void registrationFailed(SipAccount account, SipFailure failure) {
    List<Member> told;
    synchronized (this) {
      registered = false;
      told = List.copyOf(members);
      if (!everRegistered) {
        // A failed first REGISTER ends the account in the backend: it may be registered anew.
        members.clear();
        told.forEach(Member::left);
        board.forget(this);
      }
    }
    for (Member m : told) {
      m.listener.registrationFailed(m, failure);
    }
  }

  @Override
  public void unregistered(SipAccount account) {
    Member m;
    synchronized (this) {
      m = lastToLeave;
      lastToLeave = null;
    }
    if (m != null) {
      m.listener.unregistered(m);
    }
  }

  // ---- incoming calls: offered to one member at a time ------------------------------------

  @Override
  public void incomingCall(SipCall call, IncomingCall info) {
    if (board.isDraining()) {
      log.info(
          "INVITE from {} Call-ID {} for {}: draining, 503", info.caller(), call.callId(), name());
      call.reject(503, "Service Unavailable");
      return;
    }
    Route r = new Route(call, info);
    routes.put(call, r);
    offerNext(r);
  }

  private void offerNext(Route r) {
    Member next = null;
    boolean busy;
    synchronized (r) {
      if (r.over) {
        // The caller gave up while lines were asked: nothing rings, nothing to answer.
        routes.remove(r.call, r);
        return;
      }
      // In offer order after the last member asked: each member is asked at most once, and the
      // ones not free are never visited (see free).
      Member c = r.asked == null ? first(free) : free.higher(r.asked);
      while (c != null) {
        r.asked = c;
        if (c.looksFree()) {
          next = c;
          break;
        }
        c = free.higher(c);
      }
      r.owner = next;
      if (next == null) {
        // Refused: 486 when some line is in a call (busy), 480 when none has a session. Only now
        // are the members walked, once, to tell which.
        r.busy |= anyHasSession();
        routes.remove(r.call, r);
      }
      busy = r.busy;
    }
    if (next == null) {
      int code = busy ? 486 : 480;
      log.info(
          "INVITE from {} Call-ID {} for {}: {}, {}",
          r.info.caller(),
          r.call.callId(),
          name(),
          busy ? "no free line" : "no line has a session for it",
          code);
      r.call.reject(code, busy ? "Busy Here" : "Temporarily Unavailable");
      return;
    }
    Member m = next;
    m.offer(r.call, r.info, verdict -> decided(r, m, verdict));
  }

  private void decided(Route r, Member m, Verdict verdict) {
    if (verdict == Verdict.TAKEN) {
      synchronized (r) {
        r.taken = true;
        if (r.over) {
          routes.remove(r.call, r);
        }
      }
      if (members.size() > 1) {
        log.info(
            "INVITE Call-ID {} for {}: line '{}' takes it", r.call.callId(), name(), m.lineName());
      }
      return;
    }
    synchronized (r) {
      r.busy |= verdict == Verdict.BUSY;
    }
    offerNext(r);
  }

  // ---- call events: to the call's member --------------------------------------------------

  private void toOwner(SipCall call, boolean terminal, BiConsumer<SipEventListener, Member> event) {
    Route r = routes.get(call);
    if (r == null) {
      synchronized (placing) {
        // A call being placed right now registers its route when call() returns.
        r = routes.get(call);
      }
    }
    Member owner;
    if (r == null) {
      Placement p = PLACING.get();
      if (p == null) {
        log.debug("{}: event for Call-ID {} that no line holds, dropped", name(), call.callId());
        return;
      }
      owner = p.member;
      p.ended |= terminal;
    } else {
      synchronized (r) {
        owner = r.owner;
        if (terminal) {
          r.over = true;
          if (r.taken) {
            routes.remove(call, r);
          }
        }
      }
    }
    if (owner != null) {
      event.accept(owner.listener, owner);
    }
  }

  @Override
  public void callRinging(SipCall call, int statusCode, String reason) {
    toOwner(call, false, (l, m) -> l.callRinging(call, statusCode, reason));
  }

  @Override
  public void callConnected(SipCall call) {
    toOwner(call, false, (l, m) -> l.callConnected(call));
  }

  @Override
  public void callFailed(SipCall call, SipFailure failure) {
    toOwner(call, true, (l, m) -> l.callFailed(call, failure));
  }

  @Override
  public void callEnded(SipCall call, CallEnd cause, String description) {
    toOwner(call, true, (l, m) -> l.callEnded(call, cause, description));
  }

  @Override
  public void dialogChanged(SipCall call) {
    toOwner(call, false, (l, m) -> l.dialogChanged(call));
  }

  @Override
  public void transferAccepted(SipCall call) {
    toOwner(call, false, (l, m) -> l.transferAccepted(call));
  }

  @Override
  public void callHoldChanged(SipCall call, boolean held, String description) {
    toOwner(call, false, (l, m) -> l.callHoldChanged(call, held, description));
  }

  @Override
  public void transferSucceeded(SipCall call) {
    toOwner(call, false, (l, m) -> l.transferSucceeded(call));
  }

  @Override
  public void transferFailed(SipCall call, SipFailure failure) {
    toOwner(call, false, (l, m) -> l.transferFailed(call, failure));
  }

  private String name() {
    return spec.accountName();
  }

  private boolean anyHasSession() {
    for (Member m : members) {
      if (m.hasSession()) {
        return true;
      }
    }
    return false;
  }

  private static Member first(ConcurrentSkipListSet<Member> set) {
    // Not isEmpty() then first(): another thread may empty the set between the two.
    Iterator<Member> it = set.iterator();
    return it.hasNext() ? it.next() : null;
  }

  /** One incoming call while lines are asked, and after: who has it. */
  private static final class Route {
    final SipCall call;
    final IncomingCall info;

    // Guarded by this.
    /** The last member asked (in offer order), or null before the first. */
    Member asked;

    Member owner;
    boolean taken;
    boolean over;
    boolean busy;

    Route(SipCall call, IncomingCall info) {
      this.call = call;
      this.info = info;
    }

    static Route placed(SipCall call, Member owner) {
      Route r = new Route(call, null);
      synchronized (r) {
        r.owner = owner;
        r.taken = true;
      }
      return r;
    }
  }

  /** A call being placed on this thread, and whether it already ended. */
  private static final class Placement {
    final Member member;
    boolean ended;

    Placement(Member member) {
      this.member = member;
    }
  }

  /** A line's hold on the account: what the line sees as its registered account. */
  final class Member implements SipAccount {
    final SipEventListener listener;
    private final Taker taker;
    final long joined = JOINED.incrementAndGet();

    // Guarded by this: a refresh racing the member's leaving must not put it back in the set.
    private boolean gone;

    Member(SipEventListener listener) {
      this.listener = listener;
      this.taker = listener instanceof Taker t ? t : null;
    }

    /** Puts this member in the trunk's free set or takes it out, by its hint now. */
    synchronized void refreshFree() {
      if (!gone && looksFree()) {
        free.add(this);
      } else {
        free.remove(this);
      }
    }

    /** No longer a member: out of the free set for good. */
    synchronized void left() {
      gone = true;
      free.remove(this);
    }

    Trunk trunk() {
      return Trunk.this;
    }

    long rank() {
      return taker == null ? Long.MAX_VALUE : taker.rank();
    }

    String lineName() {
      return taker == null ? "?" : taker.lineName();
    }

    /** A listener that is not a line of the core takes every call (it decides by itself). */
    boolean looksFree() {
      return taker == null || taker.looksFree();
    }

    boolean hasSession() {
      return taker != null && taker.hasSession();
    }

    void offer(SipCall call, IncomingCall info, java.util.function.Consumer<Verdict> verdict) {
      if (taker == null) {
        listener.incomingCall(call, info);
        verdict.accept(Verdict.TAKEN);
      } else {
        taker.offer(call, info, verdict);
      }
    }

    @Override
    public AccountSpec spec() {
      return spec;
    }

    @Override
    public SipCall call(SipUri target, Map<String, String> headers, CallMedia media) {
      SipAccount account = real;
      if (account == null) {
        throw new IllegalStateException(
            "the REGISTER of "
                + spec.accountName()
                + " still waits for its turn (--register-rate): no call before it is sent");
      }
      synchronized (placing) {
        Placement p = new Placement(this);
        PLACING.set(p);
        try {
          SipCall call = account.call(target, headers, media);
          if (!p.ended) {
            routes.put(call, Route.placed(call, this));
          }
          return call;
        } finally {
          PLACING.remove();
        }
      }
    }

    @Override
    public void unregister() {
      leave(this);
    }

    @Override
    public java.util.Optional<org.sipline.core.spi.BindingRecord> binding() {
      SipAccount r = real;
      return r == null ? java.util.Optional.empty() : r.binding();
    }
  }
}
