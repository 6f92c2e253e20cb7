package org.sipline.core.spi;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One call (one INVITE dialog) in a backend. Methods never block on the network: they start the SIP
 * work and its outcome arrives at the account's {@link SipEventListener}. Calling a method in a
 * state where it makes no sense (answer on an outgoing call, transfer before connect) throws {@link
 * IllegalStateException} naming the state.
 */
public interface SipCall {
  /**
   * The dialog's Call-ID, the key that ties logs and statuses to the wire.
   *
   * @return the Call-ID
   */
  String callId();

  /**
   * Whether the far end called us (an INVITE we received) rather than we it.
   *
   * @return true for an incoming call
   */
  boolean isIncoming();

  /**
   * The far end: the callee for outgoing calls, the caller for incoming ones.
   *
   * @return the far end's address
   */
  SipUri remote();

  /**
   * Incoming only: sends 200 OK with an SDP answer and starts media.
   *
   * @param media where the call's audio comes from and goes to
   */
  void answer(CallMedia media);

  /**
   * Incoming only, before answer: sends the given final response (e.g. 486, 480, 603).
   *
   * @param statusCode the final response's code, 300..699
   * @param reason its reason phrase
   */
  void reject(int statusCode, String reason);

  /**
   * Soft hangup: CANCEL before the answer, BYE after it (a declined 603 for an unanswered incoming
   * call). Completion arrives as {@code callEnded} or {@code callFailed}, bounded by the backend's
   * transaction timeout.
   */
  void hangup();

  /**
   * Hard hangup: media and dialog are torn down locally at once; a BYE may be sent but nothing
   * waits for it. {@code callEnded(LOCAL_TERMINATE)} follows before this method's effects are
   * visible to any other event.
   */
  void terminate();

  /**
   * Blind transfer: REFER with Refer-To {@code target} and the extra headers; the outcome arrives
   * as {@code transferSucceeded} (then the call ends with {@code TRANSFERRED}) or {@code
   * transferFailed} (the call goes on).
   *
   * @param target the Refer-To address
   * @param headers extra headers of the REFER, checked by the core
   */
  void transfer(SipUri target, Map<String, String> headers);

  /**
   * The negotiated audio codec's encoding name as the SDP names it ("PCMU", "PCMA"), once media
   * runs; "" before, or when the backend cannot tell.
   *
   * @return the encoding name, or ""
   */
  default String audioCodec() {
    return "";
  }

  /**
   * The rate of the PCM the call's {@link AudioSource} and {@link AudioSink} speak, fixed from
   * {@code callConnected} on: a frame is {@code AudioFrames.frameSamples(audioRate())} samples, and
   * the core's timeline, prompts and live media count samples at this rate. 8000 for G.711 (and
   * before media runs); 16000 for G.722; what the backend decodes Opus to.
   *
   * @return one of {@link AudioFrames#isCallRate}'s rates
   */
  default int audioRate() {
    return AudioFrames.SAMPLE_RATE;
  }

  /**
   * Sends one DTMF digit on a connected call: RFC 4733 telephone-event packets in the call's own
   * RTP stream (same SSRC, the event's packets in place of audio packets, the audio source still
   * read every tick so the timeline runs on; the core holds its playback for the digit so no bot
   * audio is lost) when telephone-event was negotiated, a SIP INFO ({@code application/dtmf-relay})
   * otherwise. Never blocks on the network.
   *
   * @param digit one of {@code 0-9 * # A-D}
   * @param durationMillis how long the digit is held, 40..2000
   * @return completes with the method used once the digit is done (the RFC 4733 end packets sent,
   *     or the INFO answered 2xx); fails with {@link SipFailureException} when the INFO is refused
   *     or unanswered, or the call ended
   * @throws IllegalStateException when the call is not connected
   * @throws IllegalArgumentException for a digit or duration out of range
   */
  default CompletableFuture<DtmfMethod> sendDtmf(char digit, int durationMillis) {
    throw new UnsupportedOperationException("this backend cannot send DTMF");
  }

  /**
   * The call's RTP and RTCP figures so far; once the call ended (after its terminal event) the
   * final ones, so that a call record can be written from them. Cheap, never blocks on the network,
   * callable from any thread. {@link RtpStatistics#NONE} when no media ran or the backend cannot
   * tell.
   *
   * @return the figures, or {@link RtpStatistics#NONE}
   */
  default RtpStatistics rtpStatistics() {
    return RtpStatistics.NONE;
  }

  /**
   * What it takes to end this call's dialog from outside it, once the dialog is confirmed (after
   * {@code callConnected}); empty before, after the call ended, or when the backend cannot tell.
   * Cheap, callable from any thread. The backend calls {@link SipEventListener#dialogChanged} when
   * what this returns changed (a target refresh, a request of ours taking a CSeq).
   *
   * @return the dialog's state, when there is a confirmed dialog
   */
  default Optional<DialogRecord> dialogRecord() {
    return Optional.empty();
  }

  /**
   * Completes once the backend has acted on the INVITE this outgoing call was placed with: put it
   * on the wire, started locating its next hop, or failed the call (the failure reported to the
   * listener as always). A backend that hands the INVITE to a thread of its own completes it there,
   * after the send; the core answers SipStartCall only then, so that the client's next request
   * never competes with the INVITE for the machine's cores. Backends that act within {@link
   * SipAccount#call} keep the default, a completed future.
   *
   * @return a future completed once the INVITE was acted on; it never fails
   */
  default CompletableFuture<Void> inviteHandled() {
    return CompletableFuture.completedFuture(null);
  }
}
