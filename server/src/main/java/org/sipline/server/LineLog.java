package org.sipline.server;

import org.sipline.core.LineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One log line per status the line records, in a telephony engineer's words: the status, then
 * the core's description (method, response code, reason, Call-ID), with account, far end and
 * transfer target as key-value pairs a JSON log keeps as fields.
 */
final class LineLog {
  private static final Logger log = LoggerFactory.getLogger("org.sipline.line");

  private LineLog() {}

  static void log(LineStatus s) {
    var event = log.atLevel(levelOf(s))
        .addKeyValue("seq", s.sequence())
        .addKeyValue("status", s.type().name())
        .addKeyValue("account", s.accountName());
    if (!s.calleeId().isEmpty()) {
      event = event.addKeyValue("remote", s.calleeId());
    }
    if (!s.transferCallId().isEmpty()) {
      event = event.addKeyValue("transfer", s.transferCallId());
    }
    if (!s.nluSessionName().isEmpty()) {
      event = event.addKeyValue("nlu_session", s.nluSessionName());
    }
    if (!s.exceptionName().isEmpty()) {
      event = event.addKeyValue("exception", s.exceptionName());
    }
    event.log("{}: {}", s.type(), s.description().isEmpty() ? "-" : s.description());
  }

  private static Level levelOf(LineStatus s) {
    return switch (s.type()) {
      case INCOMING_CALL_FAILED, OUTGOING_CALL_FAILED, SESSION_REGISTRATION_FAILED,
          TRANSFER_CALL_FAILED -> Level.WARN;
      default -> Level.INFO;
    };
  }
}
