package org.sipline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipFailureException;
import org.sipline.core.spi.SipUri;

/**
 * A call of the {@link FakeBackend}: the line's {@link SipCall} and, through the public methods,
 * the far end's controls and what the far end observed (headers, audio, transfer).
 */
public final class FakeCall implements SipCall {
  /** Where the call stands, as the far end sees it. */
  public enum State {
    /** The INVITE is out (outgoing) or in (incoming) and not answered yet. */
    DIALING,
    /** An incoming call rings, waiting for the line to answer or reject it. */
    OFFERED,
    /** The call is up. */
    CONNECTED,
    /** The call ended, whoever ended it. */
    ENDED
  }

  private final FakeBackend backend;
  private final FakeAccount account;
  private final boolean incoming;
  private final SipUri remote;
  private final FakeScript script;
  private final String callId = UUID.randomUUID() + "@fake";

  private State state;
  private boolean terminalSent;
  private boolean transferring;
  volatile Map<String, String> sentHeaders = Map.of();
  volatile CallMedia media;
  private volatile ScheduledFuture<?> mediaTicker;
  private volatile ScheduledFuture<?> talker;
  private int finalCode;
  private SipUri transferTarget;
  private Map<String, String> transferHeaders = Map.of();
  private final int rate;
  private final short[] frame;
  private short[] sent;
  private int sentLength;
  private int speechFrames;
  private int framesSent;
  private final List<String> dtmfSent = new ArrayList<>();
  private final List<CompletableFuture<DtmfMethod>> dtmfHeld = new ArrayList<>();
  private boolean holdDtmf;
  private String failDtmf;
  private volatile RtpStatistics rtp = RtpStatistics.NONE;
  private final CompletableFuture<Void> inviteHandled;

  FakeCall(
      FakeBackend backend,
      FakeAccount account,
      boolean incoming,
      SipUri remote,
      FakeScript script) {
    this.backend = backend;
    this.account = account;
    this.incoming = incoming;
    this.remote = remote;
    this.script = script;
    this.state = incoming ? State.OFFERED : State.DIALING;
    this.rate = backend.audioRate;
    this.frame = new short[AudioFrames.frameSamples(rate)];
    this.sent = new short[rate];
    this.inviteHandled = backend.inviteHandled;
  }

  // ---- SipCall (the line's side) -----------------------------------------------------------

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public boolean isIncoming() {
    return incoming;
  }

  @Override
  public CompletableFuture<Void> inviteHandled() {
    return inviteHandled;
  }

  @Override
  public SipUri remote() {
    return remote;
  }

  void dial() {
    if (script.finalCode() == 0) {
      return; // rings forever, says nothing
    }
    backend.later(
        Duration.ofMillis(2),
        () -> {
          synchronized (this) {
            if (state != State.DIALING) {
              return;
            }
          }
          account.listener.callRinging(this, 180, "Ringing");
        });
    backend.later(
        script.ringFor().plusMillis(3),
        () -> {
          synchronized (this) {
            if (state != State.DIALING) {
              return;
            }
            finalCode = script.finalCode();
            if (finalCode != 200) {
              state = State.ENDED;
            }
          }
          if (finalCode == 200) {
            connect();
            if (script.hangupAfter() != null) {
              backend.later(script.hangupAfter(), this::remoteBye);
            }
          } else {
            terminal(
                () ->
                    account.listener.callFailed(
                        this, SipFailure.response(script.finalCode(), script.reason())));
          }
        });
  }

  @Override
  public synchronized void answer(CallMedia media) {
    if (!incoming || state != State.OFFERED) {
      throw new IllegalStateException(
          "answer() on a " + (incoming ? "" : "outgoing ") + "call in state " + state);
    }
    this.media = media;
    finalCode = 200;
    backend.later(Duration.ofMillis(2), this::connect);
  }

  private void connect() {
    synchronized (this) {
      if (state == State.ENDED) {
        return;
      }
      state = State.CONNECTED;
      if (!backend.manualMedia) {
        mediaTicker =
            backend.media.scheduleAtFixedRate(
                this::pullFrame, 0, AudioFrames.FRAME_MILLIS, TimeUnit.MILLISECONDS);
        short[] says = incoming ? null : backend.talkFor(remote);
        if (says != null) {
          talker =
              backend.media.scheduleAtFixedRate(
                  talk(says), 0, AudioFrames.FRAME_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
    }
    account.listener.callConnected(this);
  }

  /** Our next CSeq in the dialog, as a backend would count it; moved on by {@link #refresh}. */
  private long nextCseq = 2;

  @Override
  public synchronized java.util.Optional<org.sipline.core.spi.DialogRecord> dialogRecord() {
    if (state != State.CONNECTED) {
      return java.util.Optional.empty();
    }
    String us = "sip:" + account.spec().aor().addressOfRecord();
    return java.util.Optional.of(
        new org.sipline.core.spi.DialogRecord(
            callId,
            incoming,
            us,
            "local-tag",
            remote.toString(),
            "remote-tag",
            remote.toString(),
            java.util.List.of(),
            nextCseq,
            org.sipline.core.spi.Transport.UDP,
            remote.host(),
            remote.port() < 0 ? 5060 : remote.port()));
  }

  /** A request of ours in the dialog took a CSeq: the backend says the dialog changed. */
  public void refresh() {
    synchronized (this) {
      nextCseq++;
    }
    account.listener.dialogChanged(this);
  }

  @Override
  public synchronized void reject(int statusCode, String reason) {
    if (!incoming || state != State.OFFERED) {
      throw new IllegalStateException("reject() in state " + state);
    }
    finalCode = statusCode;
    state = State.ENDED;
    terminal(() -> account.listener.callFailed(this, SipFailure.response(statusCode, reason)));
  }

  @Override
  public void hangup() {
    State was;
    synchronized (this) {
      was = state;
      if (was == State.ENDED) {
        return;
      }
      state = State.ENDED;
    }
    stopMedia();
    switch (was) {
      case DIALING ->
          terminal(
              () ->
                  account.listener.callFailed(
                      this, SipFailure.response(487, "Request Terminated")));
      case OFFERED -> {
        synchronized (this) {
          finalCode = 603;
        }
        terminal(() -> account.listener.callFailed(this, SipFailure.response(603, "Decline")));
      }
      default -> terminal(() -> account.listener.callEnded(this, CallEnd.LOCAL_BYE, "200 OK"));
    }
  }

  @Override
  public void terminate() {
    synchronized (this) {
      if (state == State.ENDED && terminalSent) {
        return;
      }
      state = State.ENDED;
    }
    stopMedia();
    terminal(() -> account.listener.callEnded(this, CallEnd.LOCAL_TERMINATE, ""));
  }

  @Override
  public void transfer(SipUri target, Map<String, String> headers) {
    synchronized (this) {
      if (state != State.CONNECTED || transferring) {
        throw new IllegalStateException("transfer() in state " + state);
      }
      transferring = true;
      transferTarget = target;
      transferHeaders = Map.copyOf(headers);
    }
    if (script.referCode() == 0) {
      return;
    }
    backend.later(
        Duration.ofMillis(5),
        () -> {
          if (script.referCode() != 202) {
            endTransfer();
            account.listener.transferFailed(
                this, SipFailure.response(script.referCode(), "Decline"));
            return;
          }
          account.listener.transferAccepted(this);
          if (script.notifyCode() == 0) {
            return;
          }
          backend.later(
              Duration.ofMillis(20),
              () -> {
                if (script.notifyCode() >= 200 && script.notifyCode() < 300) {
                  account.listener.transferSucceeded(this);
                  synchronized (this) {
                    if (state == State.ENDED) {
                      return;
                    }
                    state = State.ENDED;
                  }
                  stopMedia();
                  terminal(
                      () -> account.listener.callEnded(this, CallEnd.TRANSFERRED, "NOTIFY 200 OK"));
                } else {
                  endTransfer();
                  account.listener.transferFailed(
                      this, SipFailure.response(script.notifyCode(), "Service Unavailable"));
                }
              });
        });
  }

  private synchronized void endTransfer() {
    transferring = false;
  }

  @Override
  public synchronized String audioCodec() {
    return state == State.CONNECTED ? backend.codec : "";
  }

  /**
   * The rate its backend was set to when the call was made ({@link FakeBackend#audioRate}).
   *
   * @return 8000 unless the backend was set to another rate
   */
  @Override
  public int audioRate() {
    return rate;
  }

  /**
   * Records the digit; completes at once with RFC 4733 unless {@link #holdDtmf} keeps it pending or
   * {@link #failDtmf} makes it fail as a refused INFO would.
   */
  @Override
  public synchronized CompletableFuture<DtmfMethod> sendDtmf(char digit, int durationMillis) {
    if (state != State.CONNECTED) {
      throw new IllegalStateException("sendDtmf() in state " + state);
    }
    if (DtmfEvent.DIGITS.indexOf(digit) < 0 || durationMillis < 40 || durationMillis > 2000) {
      throw new IllegalArgumentException("digit '" + digit + "', " + durationMillis + " ms");
    }
    dtmfSent.add(digit + "/" + durationMillis);
    if (failDtmf != null) {
      return CompletableFuture.failedFuture(
          new SipFailureException(SipFailure.response(488, failDtmf)));
    }
    CompletableFuture<DtmfMethod> done = new CompletableFuture<>();
    if (holdDtmf) {
      dtmfHeld.add(done);
    } else {
      done.complete(DtmfMethod.RFC4733);
    }
    return done;
  }

  @Override
  public RtpStatistics rtpStatistics() {
    return rtp;
  }

  // ---- the far end's controls --------------------------------------------------------------

  /**
   * The figures {@link #rtpStatistics()} reports from now on, as a backend's RTP would.
   *
   * @param statistics the figures
   */
  public void setRtpStatistics(RtpStatistics statistics) {
    rtp = statistics;
  }

  /** The far end's RTP stopped for the media timeout: the backend ends the call. */
  public void mediaTimeout() {
    synchronized (this) {
      if (state != State.CONNECTED) {
        return;
      }
      state = State.ENDED;
    }
    stopMedia();
    terminal(() -> account.listener.callEnded(this, CallEnd.MEDIA_TIMEOUT, "no RTP for 30 s"));
  }

  /**
   * The far end holds ({@code held}) or resumes the connected call, as its re-INVITE or UPDATE
   * would: the backend reports it with {@code description}.
   *
   * @param held true to hold, false to resume
   * @param description what the backend reports
   */
  public void farEndHolds(boolean held, String description) {
    synchronized (this) {
      if (state != State.CONNECTED || terminalSent) {
        return;
      }
    }
    account.listener.callHoldChanged(this, held, description);
  }

  /** The far end sends BYE. */
  public void remoteBye() {
    synchronized (this) {
      if (state != State.CONNECTED) {
        return;
      }
      state = State.ENDED;
    }
    stopMedia();
    terminal(() -> account.listener.callEnded(this, CallEnd.REMOTE_BYE, "BYE received"));
  }

  /**
   * The caller will cancel after {@code delay}, unless answered before.
   *
   * @param delay how long after the INVITE
   */
  public void remoteCancelAfter(Duration delay) {
    backend.later(delay, this::remoteCancel);
  }

  /** The caller cancels an incoming call before it was answered. */
  public void remoteCancel() {
    synchronized (this) {
      if (state != State.OFFERED) {
        return;
      }
      state = State.ENDED;
      finalCode = 487;
    }
    terminal(
        () ->
            account.listener.callFailed(
                this, SipFailure.response(487, "Request Terminated (caller cancelled)")));
  }

  // ---- the far end's media, driven by the test ({@link FakeBackend#manualMedia}) ------------

  /**
   * The pacer's {@code frames} ticks, on the caller's thread: each frame is read, recorded as sent
   * and reported handed to the socket.
   *
   * @param frames how many ticks
   */
  public void tick(int frames) {
    for (int i = 0; i < frames; i++) {
      pullFrame();
    }
  }

  /** One tick whose packet could not be sent: read, not recorded, reported not on the wire. */
  public void tickNotOnWire() {
    CallMedia m = media;
    m.source().read(new short[frame.length]);
    m.source().sent(false);
  }

  /** The far end's voice: one packet of {@code says} every 20 ms, then silence. */
  private Runnable talk(short[] says) {
    int[] at = {0};
    short[] packet = new short[frame.length];
    return () -> {
      CallMedia m = media;
      if (m == null || state() != State.CONNECTED) {
        return;
      }
      Arrays.fill(packet, (short) 0);
      int n = Math.max(0, Math.min(packet.length, says.length - at[0]));
      if (n > 0) {
        System.arraycopy(says, at[0], packet, 0, n);
      }
      at[0] += packet.length;
      m.sink().write(packet, 0, packet.length);
    };
  }

  /**
   * The far end presses {@code digits}, 120 ms each, 80 ms apart, in real time (RFC 4733 as the
   * line hears it: a start, then an end with the duration).
   *
   * @param digits the digits, from {@code 0-9 * # A-D}
   */
  public void sendDigits(String digits) {
    for (int i = 0; i < digits.length(); i++) {
      char digit = digits.charAt(i);
      backend.later(
          Duration.ofMillis(200L * i), () -> dtmf(DtmfEvent.start(digit, DtmfMethod.RFC4733)));
      backend.later(
          Duration.ofMillis(200L * i + 120),
          () -> dtmf(DtmfEvent.end(digit, 120, DtmfMethod.RFC4733)));
    }
  }

  /**
   * The pacer fell behind by {@code frames} ticks.
   *
   * @param frames how many ticks were missed
   */
  public void skip(int frames) {
    media.source().skipped(frames);
  }

  /**
   * The caller's audio arrives (PCM at the call's rate, as decoded from RTP).
   *
   * @param pcm the audio
   */
  public void receive(short[] pcm) {
    CallMedia m = media;
    if (m != null) {
      m.sink().write(pcm, 0, pcm.length);
    }
  }

  /**
   * {@code samples} of the caller's audio were lost on the way.
   *
   * @param samples how many samples
   */
  public void lose(int samples) {
    CallMedia m = media;
    if (m != null) {
      m.sink().missing(samples);
    }
  }

  /**
   * The caller sends a DTMF event (start or end).
   *
   * @param event the event
   */
  public void dtmf(DtmfEvent event) {
    CallMedia m = media;
    if (m != null) {
      m.sink().dtmf(event);
    }
  }

  /**
   * DTMF sending keeps its futures pending until {@link #releaseDtmf}.
   *
   * @param hold true to hold the futures, false to let them complete as they come
   */
  public synchronized void holdDtmf(boolean hold) {
    holdDtmf = hold;
  }

  /** Completes the digits held so far with RFC 4733. */
  public void releaseDtmf() {
    List<CompletableFuture<DtmfMethod>> held;
    synchronized (this) {
      held = new ArrayList<>(dtmfHeld);
      dtmfHeld.clear();
    }
    held.forEach(f -> f.complete(DtmfMethod.RFC4733));
  }

  /**
   * From now on every digit fails as an INFO refused with 488 {@code reason}; null: none.
   *
   * @param reason the 488's reason phrase, or null to let digits succeed again
   */
  public synchronized void failDtmf(String reason) {
    failDtmf = reason;
  }

  /**
   * The digits the line sent, as "digit/durationMs", in order.
   *
   * @return the digits sent
   */
  public synchronized List<String> dtmfSent() {
    return new ArrayList<>(dtmfSent);
  }

  // ---- observation -------------------------------------------------------------------------

  /**
   * Where the call stands now.
   *
   * @return the state
   */
  public synchronized State state() {
    return state;
  }

  /**
   * The final response the line gave an incoming call (200, 480, 486, 603), or 0 so far.
   *
   * @return the code
   */
  public synchronized int finalCode() {
    return finalCode;
  }

  /**
   * The extra headers of the line's INVITE (outgoing calls).
   *
   * @return the headers
   */
  public Map<String, String> sentHeaders() {
    return sentHeaders;
  }

  /**
   * The Refer-To of the line's REFER.
   *
   * @return the target, or null before a transfer
   */
  public synchronized SipUri transferTarget() {
    return transferTarget;
  }

  /**
   * The extra headers of the line's REFER.
   *
   * @return the headers, or null before a transfer
   */
  public synchronized Map<String, String> transferHeaders() {
    return transferHeaders;
  }

  /**
   * Everything the line sent, sample by sample, since the call connected.
   *
   * @return the samples, a copy
   */
  public synchronized short[] sentAudio() {
    return Arrays.copyOf(sent, sentLength);
  }

  /**
   * Frames the line's source gave, silence and muted ones included.
   *
   * @return the count
   */
  public synchronized int framesSent() {
    return framesSent;
  }

  /**
   * Frames the source marked as played audio (not silence, not muted).
   *
   * @return the count
   */
  public synchronized int speechFrames() {
    return speechFrames;
  }

  // ---- internals ---------------------------------------------------------------------------

  private void pullFrame() {
    CallMedia m = media;
    if (m == null) {
      return;
    }
    boolean speech = m.source().read(frame);
    synchronized (this) {
      if (state != State.CONNECTED) {
        m.source().sent(false);
        return;
      }
      if (sentLength + frame.length > sent.length) {
        sent = Arrays.copyOf(sent, sent.length * 2);
      }
      System.arraycopy(frame, 0, sent, sentLength, frame.length);
      sentLength += frame.length;
      framesSent++;
      if (speech) {
        speechFrames++;
      }
    }
    m.source().sent(true);
  }

  void stopMedia() {
    ScheduledFuture<?> t = mediaTicker;
    if (t != null) {
      t.cancel(false);
    }
    ScheduledFuture<?> voice = talker;
    if (voice != null) {
      voice.cancel(false);
    }
  }

  /** Sends the call's one terminal event, on the event thread, once. */
  private void terminal(Runnable event) {
    synchronized (this) {
      if (terminalSent) {
        return;
      }
      terminalSent = true;
    }
    try {
      backend.events.execute(event);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The backend is closed: nobody listens any more.
    }
  }

  @Override
  public String toString() {
    return "FakeCall[" + callId + ", " + (incoming ? "from " : "to ") + remote + ", " + state + "]";
  }
}
