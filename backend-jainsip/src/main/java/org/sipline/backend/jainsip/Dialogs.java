package org.sipline.backend.jainsip;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small dialog chores done the same way wherever they are needed. */
final class Dialogs {
  private static final Logger log = LoggerFactory.getLogger(Dialogs.class);

  private Dialogs() {}

  /** ACKs a 2xx to our INVITE (the stack ACKs only non-2xx). False when it could not. */
  static boolean ack(SipContext ctx, Dialog dialog, Response response) {
    try {
      long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
      Request ack = dialog.createAck(cseq);
      ack.addHeader(ctx.userAgent());
      dialog.sendAck(ack);
      log.debug("{} sent", SipLog.request(ack));
      return true;
    } catch (Exception e) {
      log.warn(
          "Call-ID {}: cannot ACK {}: {}",
          dialog.getCallId().getCallId(),
          SipLog.status(response),
          e.getMessage());
      return false;
    }
  }

  /**
   * ACK then BYE for a dialog we don't want (a 200 that crossed our CANCEL, a second fork); nobody
   * waits for the BYE's answer.
   */
  static void ackAndBye(SipContext ctx, Dialog dialog, Response response) {
    if (!ack(ctx, dialog, response)) {
      return;
    }
    try {
      Request bye = dialog.createRequest(Request.BYE);
      bye.addHeader(ctx.userAgent());
      ClientTransaction tx = ctx.provider().getNewClientTransaction(bye);
      dialog.sendRequest(tx);
      log.info("{} sent", SipLog.request(bye));
    } catch (Exception e) {
      log.warn("Call-ID {}: cannot send BYE: {}", dialog.getCallId().getCallId(), e.getMessage());
    }
  }
}
