package org.sipline.backend.jainsip;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.core.spi.BackendConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RFC 4028 session timer, on the SIP executor. When we are the refresher, a refresh
 * (UPDATE when the far end allows it, else a re-INVITE with our SDP as it stands) goes out at half
 * the interval; when the far end is and does not refresh, the call is ended with BYE at the
 * deadline of §10: the interval less a third of it or 32 s, whichever is less. A refresh answered
 * 422 is sent again with the Min-SE the answer asks for, one answered 491 after RFC 3261 §14.1's
 * random wait; one that times out or is answered 408 or 481 ends the call (§10).
 */
final class SessionTimer {
  private static final Logger log = LoggerFactory.getLogger(SessionTimer.class);

  /** Times a refresh (or the INVITE) is sent again for a 422 before giving up on it. */
  static final int MAX_422_RETRIES = 2;

  /** Where the timer is. */
  enum State {
    /** No session timer in force. */
    OFF,
    /** We refresh: a timer at half the interval. */
    OURS,
    /** Our refresh is on its way. */
    REFRESHING,
    /** The far end refreshes: a timer at the deadline. */
    THEIRS,
    /** The call is over (or the session expired): terminal. */
    DONE;

    /** The one transition rule: a refresh goes out only from OURS; DONE is terminal. */
    State moveTo(State next) {
      boolean allowed =
          switch (this) {
            case DONE -> false;
            case OFF, THEIRS, REFRESHING -> next != REFRESHING;
            case OURS -> true;
          };
      if (!allowed) {
        throw new IllegalStateException("session timer: " + this + " -> " + next);
      }
      return next;
    }
  }

  private final JainSipCall call;
  private State state = State.OFF;
  private int seconds;
  private int minSe;
  private int retries422;
  private long refreshedAtNanos;
  private SipExecutor.Timer timer = SipExecutor.Timer.NONE;
  private InDialogRequest pending;

  SessionTimer(JainSipCall call) {
    this.call = call;
    this.minSe = ourMinSe(call.ctx.config);
  }

  State state() {
    return state;
  }

  /** The interval in force, in seconds (0 when off). */
  int seconds() {
    return state == State.OFF || state == State.DONE ? 0 : seconds;
  }

  // ---- what we ask for and accept ---------------------------------------------------------

  /** The interval we ask for, in seconds; 0 asks for none. */
  static int ourInterval(BackendConfig config) {
    return (int) config.sessionExpires().toSeconds();
  }

  /** Our Min-SE: RFC 4028's 90 s, or less when the configured interval is less (tests). */
  static int ourMinSe(BackendConfig config) {
    long asked = config.sessionExpires().toSeconds();
    long least = BackendConfig.MIN_SESSION_EXPIRES.toSeconds();
    return (int) (asked == 0 ? least : Math.min(least, asked));
  }

  /** The headers of an INVITE of ours that asks for {@code seconds} (0: only Supported). */
  static List<Header> inviteHeaders(SipContext ctx, int seconds, int minSe) {
    List<Header> headers = new ArrayList<>();
    headers.add(SessionInterval.supportedTimer(ctx.headers()));
    if (seconds > 0) {
      // The same two values on every INVITE of the process: parsed once (see ParsedOnce).
      try {
        headers.add(ctx.parsed.header(SessionInterval.SESSION_EXPIRES, Integer.toString(seconds)));
        headers.add(ctx.parsed.header(SessionInterval.MIN_SE, Integer.toString(minSe)));
      } catch (ParseException e) {
        throw new IllegalStateException("Session-Expires " + seconds + ", Min-SE " + minSe, e);
      }
    }
    return headers;
  }

  /**
   * The Min-SE a 422 to {@code request} must carry when the interval it asks for is below ours, or
   * 0 when it may go on (RFC 4028 §8.1).
   */
  static int tooBrief(Request request, BackendConfig config) {
    SessionInterval asked = SessionInterval.of(request);
    int least = ourMinSe(config);
    return asked != null && asked.seconds() < least ? least : 0;
  }

  /**
   * The Session-Expires of our 2xx to {@code request} (an INVITE, re-INVITE or UPDATE), or null for
   * none (RFC 4028 §9): the interval asked for, and its refresher or, when it names none, the far
   * end when it supports timers, else us. Without Session-Expires in the request, we ask for ours.
   */
  static SessionInterval answer(Request request, BackendConfig config) {
    SessionInterval asked = SessionInterval.of(request);
    boolean supports = SessionInterval.supportsTimer(request);
    String chosen = supports ? SessionInterval.UAC : SessionInterval.UAS;
    if (asked != null) {
      return new SessionInterval(
          asked.seconds(), asked.refresher() != null ? asked.refresher() : chosen);
    }
    int ours = ourInterval(config);
    return ours > 0 ? new SessionInterval(Math.max(ours, ourMinSe(config)), chosen) : null;
  }

  /** Adds what our 2xx to {@code request} says of timers: {@code answer} from {@link #answer}. */
  static void addToAnswer(
      SipContext ctx, Request request, Response response, SessionInterval answer) {
    response.addHeader(SessionInterval.supportedTimer(ctx.headers()));
    if (answer != null) {
      response.addHeader(answer.header(ctx.headers()));
      if (SessionInterval.supportsTimer(request)) {
        response.addHeader(SessionInterval.requireTimer(ctx.headers()));
      }
    }
  }

  // ---- the timer in a call ----------------------------------------------------------------

  /**
   * Our 2xx to a request of the far end (its INVITE, or a refresh of its) went out with {@code
   * answer}: the session runs from now, refreshed by whom it names.
   */
  void answered(SessionInterval answer) {
    if (answer == null) {
      off();
    } else {
      run(answer.seconds(), SessionInterval.UAS.equals(answer.refresher()));
    }
  }

  /**
   * A 2xx answered a request of ours (the INVITE or a refresh): its Session-Expires sets the
   * interval and who refreshes; none means no session timer (RFC 4028 §7.2).
   */
  void confirmed(Response response) {
    SessionInterval granted = SessionInterval.of(response);
    if (granted == null) {
      off();
    } else {
      run(granted.seconds(), !SessionInterval.UAS.equals(granted.refresher()));
    }
  }

  /** The call ended: nothing more is refreshed or watched. */
  void stop() {
    timer.cancel();
    if (pending != null) {
      pending.abandon();
      pending = null;
    }
    state = state == State.DONE ? State.DONE : state.moveTo(State.DONE);
  }

  private void off() {
    if (state == State.DONE) {
      return;
    }
    timer.cancel();
    if (state != State.OFF) {
      log.info("Call-ID {}: no session timer any more", call.callId());
    }
    state = state.moveTo(State.OFF);
  }

  private void run(int interval, boolean weRefresh) {
    if (state == State.DONE) {
      return;
    }
    timer.cancel();
    seconds = interval;
    retries422 = 0;
    refreshedAtNanos = System.nanoTime();
    state = state.moveTo(weRefresh ? State.OURS : State.THEIRS);
    if (weRefresh) {
      Duration half = Duration.ofMillis(interval * 500L);
      log.info(
          "Call-ID {}: session timer {} s, we refresh in {}",
          call.callId(),
          interval,
          Durations.text(half));
      timer = call.ctx.executor.schedule(half, this::refresh);
    } else {
      Duration deadline = deadline(interval);
      log.info(
          "Call-ID {}: session timer {} s, the far end refreshes; BYE unless refreshed within {}",
          call.callId(),
          interval,
          Durations.text(deadline));
      timer = call.ctx.executor.schedule(deadline, this::expired);
    }
  }

  /** RFC 4028 §10: BYE a third of the interval or 32 s before it ends, whichever is less. */
  static Duration deadline(int seconds) {
    long millis = seconds * 1000L;
    return Duration.ofMillis(millis - Math.min(32_000L, millis / 3));
  }

  private void expired() {
    if (state != State.THEIRS) {
      return;
    }
    state = state.moveTo(State.DONE);
    call.sessionExpired(
        "session timer expired: no session refresh within "
            + Durations.text(deadline(seconds))
            + " of a "
            + seconds
            + " s session (RFC 4028)");
  }

  /** Sends a refresh now: at half the interval, after a 422, or after a 491's wait. */
  private void refresh() {
    if (state != State.OURS || !call.connectedForRefresh()) {
      return;
    }
    state = state.moveTo(State.REFRESHING);
    boolean update = call.peerAllowsUpdate;
    String method = update ? Request.UPDATE : Request.INVITE;
    List<Header> headers = new ArrayList<>();
    headers.add(new SessionInterval(seconds, SessionInterval.UAC).header(call.ctx.headers()));
    headers.add(SessionInterval.minSeHeader(call.ctx.headers(), minSe));
    headers.add(SessionInterval.supportedTimer(call.ctx.headers()));
    try {
      headers.add(call.ctx.contact(call.account.contactUser(), call.localHost()));
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("Contact of a session refresh", e);
    }
    InDialogRequest request =
        new InDialogRequest(call, method, headers, (code, reason) -> {})
            .onFinal(response -> refreshAnswered(method, response));
    if (!update) {
      // RFC 4028 §7.4: the session as it stands, so nothing changes but the timer.
      request.withContent("application", "sdp", call.localSdp.repeat());
      call.offerPending = true;
    }
    pending = request;
    log.info("Call-ID {}: session refresh by {}", call.callId(), method);
    request.send();
  }

  /** The refresh's final response, or null when none came (timeout, transport failure). */
  private void refreshAnswered(String method, Response response) {
    pending = null;
    if (method.equals(Request.INVITE)) {
      call.offerPending = false;
    }
    if (state != State.REFRESHING) {
      return;
    }
    int code = response == null ? 0 : response.getStatusCode();
    if (code >= 200 && code < 300) {
      if (method.equals(Request.INVITE)) {
        Dialogs.ack(call.ctx, call.dialog, response);
        call.applyAnswer(response);
      }
      state = state.moveTo(State.OURS);
      confirmed(response);
      return;
    }
    state = state.moveTo(State.OURS);
    if (code == SessionInterval.TOO_SMALL) {
      int asked = SessionInterval.minSe(response);
      if (asked > seconds && retries422 < MAX_422_RETRIES) {
        retries422++;
        log.info(
            "Call-ID {}: {} answered 422, Min-SE {}; refreshing with {} s",
            call.callId(),
            method,
            asked,
            asked);
        seconds = asked;
        minSe = Math.max(minSe, asked);
        refresh();
        return;
      }
    } else if (code == Response.REQUEST_PENDING) {
      Duration wait = Glare.wait(call);
      log.info(
          "Call-ID {}: {} answered 491; again in {}", call.callId(), method, Durations.text(wait));
      timer = call.ctx.executor.schedule(wait, this::refresh);
      return;
    }
    if (code == 0
        || code == Response.REQUEST_TIMEOUT
        || code == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
      state = state.moveTo(State.DONE);
      call.sessionExpired(
          "session refresh failed ("
              + (code == 0 ? "no answer to " + method : method + " answered " + code)
              + "; RFC 4028 §10)");
      return;
    }
    // Any other refusal leaves the session as it was until it expires (RFC 4028 §10).
    long left = deadline(seconds).toNanos() - (System.nanoTime() - refreshedAtNanos);
    log.warn(
        "Call-ID {}: session refresh by {} answered {}; the session ends in {} unless refreshed",
        call.callId(),
        method,
        code,
        Durations.text(Duration.ofNanos(Math.max(0, left))));
    state = state.moveTo(State.THEIRS);
    timer = call.ctx.executor.schedule(Duration.ofNanos(Math.max(0, left)), this::expired);
  }
}
