package org.sipline.backend.jainsip;

import java.text.ParseException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends responses to requests through their server transactions. */
final class Responder {
  private static final Logger log = LoggerFactory.getLogger(Responder.class);
  private final SipContext ctx;

  Responder(SipContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The server transaction of {@code event}, made now when the stack delivered none; null for a
   * retransmission whose transaction already exists (the stack answers it by itself).
   */
  ServerTransaction serverTransaction(RequestEvent event) {
    ServerTransaction tx = event.getServerTransaction();
    if (tx != null) {
      return tx;
    }
    try {
      return ctx.provider().getNewServerTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException e) {
      log.debug("{}: retransmission", SipLog.request(event.getRequest()));
      return null;
    } catch (javax.sip.TransactionUnavailableException e) {
      log.warn("{}: no server transaction: {}", SipLog.request(event.getRequest()),
          e.getMessage());
      return null;
    }
  }

  /** A response to {@code request} with our Server header. */
  Response response(Request request, int code) {
    try {
      Response response = ctx.messages().createResponse(code, request);
      response.addHeader(ctx.headers().createHeader("Server", ctx.config.userAgent()));
      return response;
    } catch (ParseException e) {
      throw new IllegalStateException("cannot build a " + code + " response", e);
    }
  }

  /** Answers {@code event}'s request with {@code code} and {@code headers}; false if not sent. */
  boolean respond(RequestEvent event, int code, Header... headers) {
    ServerTransaction tx = serverTransaction(event);
    if (tx == null) {
      return false;
    }
    Response response = response(event.getRequest(), code);
    for (Header h : headers) {
      response.addHeader(h);
    }
    return send(tx, response);
  }

  /** Sends {@code response} on {@code tx}; false (and logged) when the stack refuses. */
  boolean send(ServerTransaction tx, Response response) {
    Request request = tx.getRequest();
    try {
      tx.sendResponse(response);
      if (response.getStatusCode() >= 300) {
        log.info("{}: {}", SipLog.request(request), SipLog.status(response));
      } else {
        log.debug("{}: {}", SipLog.request(request), SipLog.status(response));
      }
      return true;
    } catch (javax.sip.SipException | javax.sip.InvalidArgumentException e) {
      log.warn("{}: cannot send {}: {}", SipLog.request(request), SipLog.status(response),
          e.getMessage());
      return false;
    }
  }
}
