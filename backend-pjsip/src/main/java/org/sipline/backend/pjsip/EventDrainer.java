package org.sipline.backend.pjsip;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.sip.RegistrationTiming;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that takes pjsua's events off the shim's queue and hands them to the listeners, in
 * queue order. Because every listener call happens here, events of one account never overlap, and
 * no Java code ever runs on a pjsua thread.
 */
final class EventDrainer implements Runnable {
  /** An INVITE's headers are below pjsip's 4000-byte packet limit; this leaves ample room. */
  static final int TEXT_CAPACITY = 64 * 1024;

  private static final int WAIT_MS = 250;

  /** How often digits are checked for a lost end or a passed deadline. */
  private static final long HOUSEKEEPING_NANOS = 100_000_000L;

  private static final Logger log = LoggerFactory.getLogger(EventDrainer.class);

  /** The shim keeps at most 2047 bytes of a TLS failure's text. */
  private static final int TLS_FAILURE_CAPACITY = 2048;

  private final Shim shim;
  private final PjsipBackend backend;
  private final Handles handles;
  private final int[] ints = new int[NativeEvent.INTS];
  private final byte[] text = new byte[TEXT_CAPACITY];
  private long nextHousekeeping = System.nanoTime();

  EventDrainer(Shim shim, PjsipBackend backend, Handles handles) {
    this.shim = shim;
    this.backend = backend;
    this.handles = handles;
  }

  @Override
  public void run() {
    while (true) {
      housekeeping();
      if (shim.slpj_event_next(WAIT_MS, ints, text, text.length) != 1) {
        continue;
      }
      NativeEvent event;
      try {
        event = NativeEvent.decode(ints, text);
      } catch (IllegalArgumentException e) {
        log.error("dropping an event the shim sent: {}", e.getMessage());
        continue;
      }
      if (event.type() == EventType.CLOSED) {
        return;
      }
      try {
        dispatch(event);
        // A call that came or went may have changed the capacity OPTIONS are answered with.
        backend.refreshOptionsAnswer();
      } catch (RuntimeException e) {
        // A listener's failure must not stop the events of every other account and call.
        log.error("listener failed on {} event", event.type(), e);
      }
    }
  }

  /** Ends received digits whose end packets were lost and fails sent digits past their deadline. */
  private void housekeeping() {
    long now = System.nanoTime();
    if (now - nextHousekeeping < 0) {
      return;
    }
    nextHousekeeping = now + HOUSEKEEPING_NANOS;
    backend.refreshOptionsAnswer();
    for (PjsipCall call : handles.calls()) {
      try {
        call.dtmfIn().expire(now);
        call.dtmfOut().expire(now);
      } catch (RuntimeException e) {
        log.error("DTMF of call {} failed", call.callId(), e);
      }
    }
  }

  private void dispatch(NativeEvent e) {
    PjsipAccount account = handles.account(e.account());
    switch (e.type()) {
      case REGISTERED, REGISTRATION_FAILED, UNREGISTERED -> {
        if (account != null) {
          accountEvent(account, e);
        }
      }
      case INCOMING_CALL -> {
        if (account != null) {
          incomingCall(account, e);
        }
      }
      // Not a call's: the call field carries the request's token.
      case ORPHAN_DONE -> backend.orphanDone(e.call(), e.code(), e.field(0));
      default -> {
        PjsipCall call = handles.call(e.call());
        if (call != null) {
          callEvent(call, e);
        }
      }
    }
  }

  private void accountEvent(PjsipAccount account, NativeEvent e) {
    SipEventListener listener = account.listener();
    String aor = account.spec().aor().toString();
    switch (e.type()) {
      case REGISTERED -> {
        int expires = e.code() >= 0 ? e.code() : account.requestedExpires();
        log.info("REGISTER {}: 200 OK, binding expires in {} s", aor, expires);
        account.refreshSucceeded();
        account.moveTo(AccountState.REGISTERED);
        backend.updateTrustedSources();
        listener.registered(account, expires);
      }
      case REGISTRATION_FAILED -> {
        SipFailure failure = failure(e);
        AccountState before = account.state();
        if (before == AccountState.REGISTERED || before == AccountState.RETRYING) {
          // A refresh failed: pjsua gives up here; we send it again with core's backoff, and
          // tell the listener once, as jainsip does (its RETRY_WAIT).
          Duration retry =
              RegistrationTiming.retryDelay(account.refreshFailed(), ThreadLocalRandom.current());
          log.warn(
              "REGISTER {} refresh failed: {}; retrying in {} ms",
              aor,
              failure.describe(),
              retry.toMillis());
          account.moveTo(AccountState.RETRYING);
          backend.retryRegistration(account, retry);
          if (before == AccountState.REGISTERED) {
            listener.registrationFailed(account, failure);
          }
          return;
        }
        log.warn("REGISTER {} failed: {}", aor, failure.describe());
        account.moveTo(AccountState.FAILED);
        listener.registrationFailed(account, failure);
      }
      case UNREGISTERED -> {
        log.info("REGISTER {} with Expires: 0 completed", aor);
        listener.unregistered(account);
      }
      default -> throw new IllegalArgumentException("not an account event: " + e.type());
    }
  }

  private void incomingCall(PjsipAccount account, NativeEvent e) {
    String callId = e.field(0);
    SipUri caller;
    try {
      caller = SipAddresses.parseTarget("From", e.field(1), null);
    } catch (InvalidArgumentException ex) {
      log.warn(
          "INVITE Call-ID {}: From {} unusable ({}), answering 400",
          callId,
          e.field(1),
          ex.getMessage());
      shim.slpj_call_reject(e.call(), 400, "Bad From", CText.errorBuffer(), CText.ERROR_CAPACITY);
      return;
    }
    Map<String, String> headers = HeaderBlock.parse(e.field(3));
    PjsipCall call =
        handles.addCall(
            () -> new PjsipCall(backend, account, e.call(), callId, true, caller, null));
    log.info(
        "INVITE from {} to {}, Call-ID {}: 180 Ringing sent", caller, account.spec().aor(), callId);
    account.listener().incomingCall(call, new IncomingCall(caller, e.field(2), headers));
  }

  private void callEvent(PjsipCall call, NativeEvent e) {
    SipEventListener listener = call.account().listener();
    switch (e.type()) {
      case CALL_RINGING -> {
        log.info("INVITE Call-ID {}: {} {}", call.callId(), e.code(), e.field(0));
        listener.callRinging(call, e.code(), e.field(0));
      }
      case CALL_CONNECTED -> {
        call.moveTo(CallState.CONNECTED);
        log.info(
            "call {} connected (ACK {})", call.callId(), call.isIncoming() ? "received" : "sent");
        listener.callConnected(call);
      }
      case CALL_FAILED -> {
        call.ended(lastFigures(call, e));
        call.moveTo(CallState.ENDED);
        handles.removeCall(call);
        SipFailure failure = failure(e);
        call.dtmfOut().callEnded(failure.describe());
        log.info("call {} failed: {}", call.callId(), failure.describe());
        listener.callFailed(call, failure);
      }
      case CALL_ENDED -> {
        call.ended(lastFigures(call, e));
        call.moveTo(CallState.ENDED);
        handles.removeCall(call);
        CallEnd cause = endCause(e.code());
        // A digit whose end never came ends before the call does.
        call.dtmfIn().callEnded();
        call.dtmfOut().callEnded(cause.toString());
        log.info("call {} ended: {} ({})", call.callId(), cause, e.field(0));
        listener.callEnded(call, cause, e.field(0));
      }
      case DIALOG -> {
        // The grammar allows dialogChanged only between callConnected and the terminal event.
        if (call.state() == CallState.CONNECTED) {
          listener.dialogChanged(call);
        }
      }
      case CALL_HOLD -> {
        log.info("Call-ID {}: {}", call.callId(), e.field(0));
        listener.callHoldChanged(call, e.code() == 1, e.field(0));
      }
      case DTMF -> dtmfReceived(call, e);
      case DTMF_INFO_DONE -> {
        int status = parseInt(e.field(0));
        log.info(
            "call {}: DTMF INFO answered {}",
            call.callId(),
            status > 0 ? status + " " + e.field(1) : e.field(1));
        call.dtmfOut().infoAnswered(e.code(), status, e.field(1));
      }
      case TRANSFER_ACCEPTED -> {
        log.info("REFER Call-ID {}: 202 Accepted", call.callId());
        listener.transferAccepted(call);
      }
      case TRANSFER_SUCCEEDED -> {
        log.info(
            "REFER Call-ID {}: NOTIFY reports {} from the transfer target, sending BYE",
            call.callId(),
            e.code());
        listener.transferSucceeded(call);
      }
      case TRANSFER_FAILED -> {
        SipFailure failure = failure(e);
        log.info("REFER Call-ID {} failed: {}", call.callId(), failure.describe());
        listener.transferFailed(call, failure);
      }
      default -> throw new IllegalArgumentException("not a call event: " + e.type());
    }
  }

  private static void dtmfReceived(PjsipCall call, NativeEvent e) {
    call.dtmfIn()
        .report(
            (char) e.code(),
            parseInt(e.field(0)),
            Long.parseLong(e.field(1)),
            Long.parseLong(e.field(2)),
            parseInt(e.field(3)),
            System.nanoTime());
  }

  private static int parseInt(String field) {
    try {
      return Integer.parseInt(field);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("not a number in a shim event: " + field, ex);
    }
  }

  /** The figures a terminal event carries; a garbled set is logged, never stops the call's end. */
  private static RtpStatistics lastFigures(PjsipCall call, NativeEvent e) {
    try {
      return RtpFigures.ofFields(e.fields(), 1);
    } catch (IllegalArgumentException ex) {
      log.warn("call {}: the shim's RTP figures unreadable: {}", call.callId(), ex.getMessage());
      return RtpStatistics.NONE;
    }
  }

  /**
   * The failure an event reports; over TLS, a refused certificate told in words instead of pjsua's
   * transport failure ("503 … certificate verification"), as jainsip does: the request never
   * reached the peer, so it is a failure without a response.
   */
  private SipFailure failure(NativeEvent e) {
    if (backend.config().transport() == Transport.TLS) {
      byte[] why = new byte[TLS_FAILURE_CAPACITY];
      if (shim.slpj_tls_failure(why, why.length) > 0) {
        return SipFailure.noResponse(CText.of(why));
      }
    }
    return e.code() > 0
        ? SipFailure.response(e.code(), e.field(0))
        : SipFailure.noResponse(e.field(0));
  }

  /** The shim's enum slpj_call_end, by number. */
  private static CallEnd endCause(int code) {
    return switch (code) {
      case 0 -> CallEnd.LOCAL_BYE;
      case 1 -> CallEnd.LOCAL_TERMINATE;
      case 2 -> CallEnd.REMOTE_BYE;
      case 3 -> CallEnd.TRANSFERRED;
      case 4 -> CallEnd.MEDIA_TIMEOUT;
      case 5 -> CallEnd.ERROR;
      default -> throw new IllegalArgumentException("unknown call end cause " + code);
    };
  }
}
