package org.sipline.core;

import java.time.Instant;
import java.util.Objects;
import org.sipline.core.records.CallDirection;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallRecord;
import org.sipline.core.records.CallSide;
import org.sipline.core.records.EModel;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line's call records: one per call, written when it ends, to the configured sink. Runs on the
 * line's actor; a failing sink costs its record, never the line.
 */
final class CallRecordWriter {
  private static final Logger log = LoggerFactory.getLogger(CallRecordWriter.class);

  private final LineConfig config;

  /** Set once shutdown began: our own endings of calls from now on are the shutdown's. */
  private boolean shuttingDown;

  CallRecordWriter(LineConfig config) {
    this.config = config;
  }

  void shuttingDown() {
    shuttingDown = true;
  }

  /** The record of a call that ended, {@code outcome} saying how. */
  void ended(ActiveCall c, CallOutcome how, String description) {
    CallOutcome outcome = shuttingDown ? how.duringShutdown() : how;
    RtpStatistics rtp;
    try {
      rtp = Objects.requireNonNullElse(c.sip.rtpStatistics(), RtpStatistics.NONE);
    } catch (RuntimeException e) {
      // A backend fault must not cost the record; the figures are what is lost.
      log.warn("Call-ID {}: RTP figures unavailable for the call record", c.callId(), e);
      rtp = RtpStatistics.NONE;
    }
    String codec = c.codec;
    double oneWay = rtp.hasRoundTrip() ? rtp.roundTripMillis() / 2 : 0;
    emit(
        new CallRecord(
            c.callId(),
            config.name(),
            c.account,
            c.incoming ? CallDirection.INCOMING : CallDirection.OUTGOING,
            c.remote,
            c.invited,
            c.answered,
            config.clock().instant(),
            outcome.sipCode(),
            outcome.sipReason(),
            outcome.side(),
            outcome.ending(),
            description,
            codec,
            c.promptsPlayed,
            c.audio.digitsReceived(),
            c.audio.digitsSent(),
            rtp,
            EModel.mos(codec, rtp.inbound(), oneWay),
            EModel.mos(codec, rtp.outbound(), oneWay)));
  }

  /** An INVITE the line refused at once (no session, busy): a call record, no status. */
  void rejected(
      String account, SipCall sip, IncomingCall info, int code, String reason, String why) {
    Instant now = config.clock().instant();
    emit(
        new CallRecord(
            sip.callId(),
            config.name(),
            account,
            CallDirection.INCOMING,
            info.caller().addressOfRecord(),
            now,
            null,
            now,
            code,
            reason,
            CallSide.LOCAL,
            CallEnding.REJECTED,
            code + " " + reason + ": " + why,
            "",
            0,
            0,
            0,
            RtpStatistics.NONE,
            EModel.NONE,
            EModel.NONE));
  }

  /**
   * The record of a call the previous process left up when it died, written by this one when it
   * ended it (its journal's dialog record). What only the dead process knew — the INVITE's time,
   * the RTP figures, prompts, DTMF, when exactly it died — died with it: invited and answered are
   * the time the dialog was journaled as confirmed, ended is now, the figures are none.
   */
  void leftByCrash(String account, DialogRecord dialog, Instant confirmed, String description) {
    String remote = dialog.remoteUri();
    int colon = remote.indexOf(':');
    emit(
        new CallRecord(
            dialog.callId(),
            config.name(),
            account,
            dialog.incoming() ? CallDirection.INCOMING : CallDirection.OUTGOING,
            colon >= 0 ? remote.substring(colon + 1) : remote,
            confirmed,
            confirmed,
            config.clock().instant(),
            200,
            "OK",
            CallSide.LOCAL,
            CallEnding.CRASH,
            description,
            "",
            0,
            0,
            0,
            RtpStatistics.NONE,
            EModel.NONE,
            EModel.NONE));
  }

  /** Why a call that never came up failed, for its record. */
  static CallOutcome failedOutcome(ActiveCall c, SipFailure failure) {
    int code = failure.statusCode();
    String reason = failure.reason();
    if (c.incoming && code == 487) {
      return new CallOutcome(CallSide.REMOTE, CallEnding.CANCEL, code, reason);
    }
    if (code == 408 || (code == 0 && failure.cause() == null)) {
      return new CallOutcome(CallSide.NETWORK, CallEnding.TIMEOUT, code, reason);
    }
    if (code == 0) {
      return new CallOutcome(CallSide.LOCAL, CallEnding.ERROR, code, reason);
    }
    // An incoming call's failure with a code is one we answered (a codec we cannot take: 488).
    return new CallOutcome(
        c.incoming ? CallSide.LOCAL : CallSide.REMOTE, CallEnding.REJECTED, code, reason);
  }

  /** A soft hangup that ended without the network's word: what it was meant to be. */
  static CallOutcome hangupOutcome(ActiveCall c, boolean wasUp, int code, String what) {
    return wasUp
        ? CallOutcome.connected(CallSide.LOCAL, c.hangupEnding)
        : CallOutcome.local(c.hangupEnding, code, what);
  }

  private void emit(CallRecord r) {
    try {
      config.callRecords().accept(r);
    } catch (RuntimeException e) {
      log.error("Call-ID {}: the call record sink failed; record lost", r.callId(), e);
    }
  }
}
