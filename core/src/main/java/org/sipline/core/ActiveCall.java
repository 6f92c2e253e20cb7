package org.sipline.core;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.sipline.core.media.CallAudio;
import org.sipline.core.records.CallEnding;
import org.sipline.core.spi.SipCall;

/**
 * The line's one call and what the line knows about it. Where the call stands is the line's {@link
 * LineState}. Touched only by the line's actor.
 */
final class ActiveCall {
  final SipCall sip;
  final boolean incoming;
  final String remote;
  final Map<String, String> headers;
  final String nluSessionName;

  /** The call's audio both ways and its media streams. */
  final CallAudio audio;

  /** The session's account the call belongs to. */
  final String account;

  /** When the INVITE was sent or arrived. */
  final Instant invited;

  /** When the call connected, or null. */
  Instant answered;

  /** The audio codec the call connected with, "" before. */
  String codec = "";

  /** WAV files played to their end, for the call record. */
  int promptsPlayed;

  /** What a soft hangup under way sends: CANCEL, a rejection (603), or BYE. */
  CallEnding hangupEnding = CallEnding.BYE;

  /** The pending auto-answer, setup bound or hangup bound; cancelled when the phase moves on. */
  ScheduledFuture<?> timer;

  /** Set when the user asked for a soft hangup: completes once the call has ended. */
  CompletableFuture<Void> hangupDone;

  /** The SIP response code that ended the call, when one did (its media streams report it). */
  int endCode;

  String transferTarget = "";
  Map<String, String> transferHeaders = Map.of();
  ScheduledFuture<?> transferTimer;

  ActiveCall(
      SipCall sip,
      boolean incoming,
      String remote,
      Map<String, String> headers,
      String nluSessionName,
      CallAudio audio,
      String account,
      Instant invited) {
    this.sip = sip;
    this.incoming = incoming;
    this.remote = remote;
    this.headers = Map.copyOf(headers);
    this.nluSessionName = nluSessionName;
    this.audio = audio;
    this.account = account;
    this.invited = invited;
  }

  void cancelTimers() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (transferTimer != null) {
      transferTimer.cancel(false);
      transferTimer = null;
    }
  }

  String callId() {
    return sip.callId();
  }
}
