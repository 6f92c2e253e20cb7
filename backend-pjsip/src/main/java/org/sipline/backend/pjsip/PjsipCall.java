package org.sipline.backend.pjsip;

import java.util.Map;
import java.util.Objects;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;

/**
 * One pjsua call, named by its shim handle. Methods start the SIP work in the shim and return;
 * outcomes come back as events through the backend's single event thread. A native "the call has
 * ended" is not an error here: the call's terminal event is already queued.
 */
final class PjsipCall implements SipCall {
  private final PjsipBackend backend;
  private final PjsipAccount account;
  private final int handle;
  private final String callId;
  private final boolean incoming;
  private final SipUri remote;
  private CallState state;
  private volatile CallMedia media;

  /** RTP packet count last seen by the media pump, and since when it has not moved. */
  private long rtpPackets = -1;

  private long rtpSince;

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

  @Override
  public String toString() {
    return "PjsipCall[" + callId + (incoming ? " from " : " to ") + remote + ", " + state() + "]";
  }
}
