package org.sipline.backend.pjsip;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pjsua call, named by its shim handle. Methods start the SIP work in the shim and return;
 * outcomes come back as events through the backend's single event thread. A native "the call has
 * ended" is not an error here: the call's terminal event is already queued.
 */
final class PjsipCall implements SipCall {
  /** The shortest and longest digit {@link #sendDtmf} accepts, ms. */
  static final int DTMF_MIN_MILLIS = 40;

  static final int DTMF_MAX_MILLIS = 2000;

  private static final Logger log = LoggerFactory.getLogger(PjsipCall.class);

  private final PjsipBackend backend;
  private final PjsipAccount account;
  private final int handle;
  private final String callId;
  private final boolean incoming;
  private final SipUri remote;
  private CallState state;
  private volatile CallMedia media;

  /** The audio rate the shim fixed at the call's first stream; 0 until then. */
  private volatile int audioRate;

  /** The figures its terminal event carried; null while the call runs. */
  private volatile RtpStatistics finalStatistics;

  /** RTP packet count last seen by the media pump, and since when it has not moved. */
  private long rtpPackets = -1;

  private long rtpSince;

  private final DtmfReceiver dtmfIn = new DtmfReceiver(this::deliverDtmf);
  private final DtmfSender dtmfOut;

  PjsipCall(
      PjsipBackend backend,
      PjsipAccount account,
      int handle,
      String callId,
      boolean incoming,
      SipUri remote,
      CallMedia media) {
    this.backend = backend;
    this.account = account;
    this.handle = handle;
    this.callId = callId;
    this.incoming = incoming;
    this.remote = remote;
    this.media = media;
    this.state = incoming ? CallState.OFFERED : CallState.CALLING;
    this.dtmfOut = new DtmfSender(backend.dtmfShim(this), backend.transactionTimeoutNanos());
  }

  int handle() {
    return handle;
  }

  PjsipAccount account() {
    return account;
  }

  /** The audio ends, once known (outgoing: at once; incoming: from answer on). */
  CallMedia media() {
    return media;
  }

  /**
   * Records the received-packet count sampled at {@code now} and returns for how long it has not
   * grown (0 when it just did). Called by the media pump only.
   */
  long rtpProgress(long packets, long now) {
    if (packets != rtpPackets) {
      rtpPackets = packets;
      rtpSince = now;
      return 0;
    }
    return now - rtpSince;
  }

  /** Received digits; used by the event thread only. */
  DtmfReceiver dtmfIn() {
    return dtmfIn;
  }

  /** Digits being sent. */
  DtmfSender dtmfOut() {
    return dtmfOut;
  }

  private void deliverDtmf(DtmfEvent event) {
    if (event.end()) {
      log.info(
          "call {}: DTMF '{}' received ({}), {} ms",
          callId,
          event.digit(),
          event.source() == DtmfMethod.SIP_INFO ? "SIP INFO" : "RFC 4733",
          event.durationMillis());
    }
    CallMedia m = media;
    if (m != null) {
      m.sink().dtmf(event);
    }
  }

  synchronized CallState state() {
    return state;
  }

  /** The one way the state changes; an impossible move names both states. */
  synchronized void moveTo(CallState next) {
    if (state == next) {
      return;
    }
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException(
          "call " + callId + " cannot go from " + state + " to " + next);
    }
    state = next;
  }

  private synchronized void require(String operation, CallState... allowed) {
    for (CallState s : allowed) {
      if (state == s) {
        return;
      }
    }
    throw new IllegalStateException(operation + " on call " + callId + " in state " + state);
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public boolean isIncoming() {
    return incoming;
  }

  @Override
  public SipUri remote() {
    return remote;
  }

  @Override
  public void answer(CallMedia media) {
    Objects.requireNonNull(media, "media");
    synchronized (this) {
      require("answer", CallState.OFFERED);
      this.media = media;
      moveTo(CallState.ANSWERING);
    }
    backend.answer(this);
  }

  @Override
  public void reject(int statusCode, String reason) {
    if (statusCode < 300 || statusCode > 699) {
      throw new IllegalArgumentException("reject status code outside 300..699: " + statusCode);
    }
    require("reject", CallState.OFFERED);
    backend.reject(this, statusCode, reason);
  }

  @Override
  public void hangup() {
    require(
        "hangup", CallState.OFFERED, CallState.ANSWERING, CallState.CALLING, CallState.CONNECTED);
    backend.hangup(this);
  }

  @Override
  public void terminate() {
    require(
        "terminate",
        CallState.OFFERED,
        CallState.ANSWERING,
        CallState.CALLING,
        CallState.CONNECTED);
    backend.terminate(this);
  }

  @Override
  public void transfer(SipUri target, Map<String, String> headers) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    require("transfer", CallState.CONNECTED);
    backend.transfer(this, target, headers);
  }

  /** Called by the event thread with the terminal event's figures, before listeners hear of it. */
  void ended(RtpStatistics last) {
    finalStatistics = last;
  }

  @Override
  public RtpStatistics rtpStatistics() {
    RtpStatistics last = finalStatistics;
    if (last != null) {
      return last;
    }
    RtpStatistics now = backend.rtpStatistics(this);
    // The terminal event may have been taken while the shim was asked.
    last = finalStatistics;
    return last != null ? last : now;
  }

  @Override
  public Optional<DialogRecord> dialogRecord() {
    return state() == CallState.ENDED ? Optional.empty() : backend.dialogRecord(this);
  }

  @Override
  public String audioCodec() {
    return state() == CallState.ENDED ? "" : backend.audioCodec(this);
  }

  /**
   * The rate of the codec the call's first stream ran (G.711 8 kHz, G.722 and Opus 16 kHz), fixed
   * for the whole call; 8 kHz before media runs.
   */
  @Override
  public int audioRate() {
    int rate = audioRate;
    if (rate == 0) {
      rate = backend.audioRate(this);
      if (rate == 0) {
        return AudioFrames.SAMPLE_RATE;
      }
      audioRate = rate;
    }
    return rate;
  }

  @Override
  public CompletableFuture<DtmfMethod> sendDtmf(char digit, int durationMillis) {
    if (DtmfEvent.DIGITS.indexOf(digit) < 0) {
      throw new IllegalArgumentException("not a DTMF digit: '" + digit + "'");
    }
    if (durationMillis < DTMF_MIN_MILLIS || durationMillis > DTMF_MAX_MILLIS) {
      throw new IllegalArgumentException(
          "DTMF duration outside "
              + DTMF_MIN_MILLIS
              + ".."
              + DTMF_MAX_MILLIS
              + " ms: "
              + durationMillis);
    }
    require("sendDtmf", CallState.CONNECTED);
    return backend.sendDtmf(this, digit, durationMillis);
  }

  @Override
  public String toString() {
    return "PjsipCall[" + callId + (incoming ? " from " : " to ") + remote + ", " + state() + "]";
  }
}
