package org.sipline.backend.jainsip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sip.RequestEvent;
import javax.sip.header.EventHeader;
import javax.sip.header.Header;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer (RFC 3515, RFC 5589 §6): REFER with Refer-To and Referred-By, then the implicit
 * subscription's NOTIFYs, whose message/sipfrag bodies say how the transferee's call to the target
 * goes. A 2xx sipfrag hands the call over (we send BYE); a refusal, a failure sipfrag, or no final
 * NOTIFY within the transfer timeout fails the transfer and the call goes on.
 */
final class BlindTransfer {
  private static final Logger log = LoggerFactory.getLogger(BlindTransfer.class);

  /** A sipfrag is a status line and perhaps a few headers; more is not a sipfrag. */
  private static final int MAX_SIPFRAG = 4096;

  private final JainSipCall call;
  private final SipUri target;
  private final List<Header> extra;
  private InDialogRequest refer;
  private SipExecutor.Timer notifyDeadline = SipExecutor.Timer.NONE;
  private boolean accepted;
  private boolean finished;

  BlindTransfer(JainSipCall call, SipUri target, List<Header> extra) {
    this.call = call;
    this.target = target;
    this.extra = extra;
  }

  boolean isFinished() {
    return finished;
  }

  void start() {
    List<Header> headers = new ArrayList<>();
    try {
      headers.add(call.ctx.headers().createReferToHeader(call.ctx.address(target)));
      headers.add(
          call.ctx.headers().createHeader("Referred-By", "<" + call.account.spec().aor() + ">"));
    } catch (java.text.ParseException e) {
      fail(SipFailure.exception("cannot write REFER to " + target + ": " + e.getMessage(), e));
      return;
    }
    headers.addAll(extra);
    log.info("Call-ID {}: REFER to {}", call.callId(), target);
    refer = new InDialogRequest(call, Request.REFER, headers, this::referAnswered);
    refer.send();
  }

  private void referAnswered(int code, String reason) {
    if (finished) {
      return;
    }
    if (code >= 200 && code < 300) {
      accept();
    } else if (code == 0) {
      fail(SipFailure.noResponse(reason));
    } else {
      fail(SipFailure.response(code, reason));
    }
  }

  private void accept() {
    if (accepted) {
      return;
    }
    accepted = true;
    call.emit(() -> call.account.listener().transferAccepted(call));
    notifyDeadline =
        call.ctx.executor.schedule(
            call.ctx.config.transferTimeout(),
            () ->
                fail(
                    SipFailure.noResponse(
                        "no final NOTIFY for the transfer to "
                            + target
                            + " within "
                            + Durations.text(call.ctx.config.transferTimeout()))));
  }

  /** A NOTIFY in the call's dialog: answered 200, its sipfrag followed. */
  void onNotify(RequestEvent event) {
    Request notify = event.getRequest();
    EventHeader eventHeader = (EventHeader) notify.getHeader(EventHeader.NAME);
    if (eventHeader == null
        || !eventHeader.getEventType().toLowerCase(Locale.ROOT).equals("refer")) {
      call.ctx.responder.respond(event, Response.BAD_EVENT);
      return;
    }
    call.ctx.responder.respond(event, Response.OK);
    if (finished) {
      return;
    }
    SubscriptionStateHeader sub =
        (SubscriptionStateHeader) notify.getHeader(SubscriptionStateHeader.NAME);
    boolean terminated =
        sub != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(sub.getState());
    int code;
    String reason;
    try {
      String frag = sipfrag(notify);
      code = statusCode(frag);
      reason = frag.length() > 12 ? frag.substring(12).trim() : "";
    } catch (IllegalArgumentException e) {
      log.warn("Call-ID {}: NOTIFY with a bad sipfrag: {}", call.callId(), e.getMessage());
      if (terminated) {
        fail(
            SipFailure.noResponse(
                "transfer subscription ended with a bad sipfrag: " + e.getMessage()));
      }
      return;
    }
    log.info(
        "Call-ID {}: NOTIFY for the transfer to {}: {} {}", call.callId(), target, code, reason);
    if (code < 200) {
      if (terminated) {
        fail(SipFailure.noResponse("transfer subscription ended at " + code + " " + reason));
      } else {
        accept();
      }
    } else if (code < 300) {
      succeed();
    } else {
      fail(SipFailure.response(code, reason));
    }
  }

  private void succeed() {
    accept();
    finished = true;
    notifyDeadline.cancel();
    if (refer != null) {
      refer.abandon();
    }
    call.emit(() -> call.account.listener().transferSucceeded(call));
    if (call.isOver()) {
      return;
    }
    call.sendBye(JainSipCall.Outcome.IGNORE);
    call.ended(CallEnd.TRANSFERRED, "transferred to " + target);
  }

  private void fail(SipFailure failure) {
    if (finished) {
      return;
    }
    finished = true;
    notifyDeadline.cancel();
    if (refer != null) {
      refer.abandon();
    }
    log.warn("Call-ID {}: transfer to {} failed: {}", call.callId(), target, failure.describe());
    call.emit(() -> call.account.listener().transferFailed(call, failure));
  }

  /** The call ends under the transfer: stop waiting; the call reports the failure. */
  void abandon() {
    finished = true;
    notifyDeadline.cancel();
    if (refer != null) {
      refer.abandon();
    }
  }

  private static String sipfrag(Request notify) {
    byte[] body = notify.getRawContent();
    if (body == null || body.length == 0) {
      throw new IllegalArgumentException("no body");
    }
    if (body.length > MAX_SIPFRAG) {
      throw new IllegalArgumentException("sipfrag length " + body.length + " > " + MAX_SIPFRAG);
    }
    String text = new String(body, StandardCharsets.UTF_8);
    int eol = text.indexOf('\n');
    return (eol >= 0 ? text.substring(0, eol) : text).trim();
  }

  /** The code of a sipfrag status line "SIP/2.0 200 OK". */
  private static int statusCode(String line) {
    if (!line.startsWith("SIP/2.0 ") || line.length() < 11) {
      throw new IllegalArgumentException(
          "not a status line: '" + (line.length() > 40 ? line.substring(0, 40) + "…" : line) + "'");
    }
    try {
      int code = Integer.parseInt(line.substring(8, 11));
      if (code < 100 || code > 699) {
        throw new IllegalArgumentException("status code " + code + " outside 100..699");
      }
      return code;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "status code '" + line.substring(8, 11) + "' is not a number");
    }
  }
}
