package org.sipline.core.spi;

/**
 * What the network did to an account and its calls. Every method has a no-op default so a listener
 * overrides only what it needs. Methods may be called on any backend thread, never concurrently for
 * the same account, and must return quickly (the core queues them onto the line's actor).
 *
 * <p>Order, per account:
 *
 * <pre>
 *   registered(first) (registered(refresh) | registrationFailed)* [unregistered]
 *   | registrationFailed ...
 * </pre>
 *
 * and per call, exactly one terminal event ({@code callFailed} or {@code callEnded}):
 *
 * <pre>
 *   outgoing: callRinging* ( callConnected (transfer | dialogChanged | callHoldChanged)* callEnded | callFailed )
 *   incoming: incomingCall ( callConnected (transfer | dialogChanged | callHoldChanged)* callEnded | callFailed )
 *   transfer: transferAccepted? ( transferSucceeded | transferFailed )
 * </pre>
 *
 * No event for a call follows its terminal event.
 */
public interface SipEventListener {
  /**
   * A REGISTER was answered 2xx; {@code expiresSeconds} is what the registrar granted.
   *
   * @param account the account that registered
   * @param expiresSeconds the granted expiry, in seconds
   */
  default void registered(SipAccount account, int expiresSeconds) {}

  /**
   * A REGISTER (first or refresh) failed: final error response, challenge we can't answer, or no
   * answer within the registration bound. A failed first REGISTER ends the account: the backend
   * stops trying and forgets it, so it may be registered again. A failed refresh is retried until
   * {@link SipAccount#unregister()}; {@code registered} follows if it recovers.
   *
   * @param account the account whose REGISTER failed
   * @param failure the response code and reason, or the bound that passed
   */
  default void registrationFailed(SipAccount account, SipFailure failure) {}

  /**
   * The un-REGISTER completed (or its bound passed).
   *
   * @param account the account now un-registered
   */
  default void unregistered(SipAccount account) {}

  /**
   * An INVITE arrived for this account; the backend has sent 100/180 and waits for {@link
   * SipCall#answer} or {@link SipCall#reject}.
   *
   * @param call the new call, to answer or reject
   * @param info who calls, from where, and the request's details
   */
  default void incomingCall(SipCall call, IncomingCall info) {}

  /**
   * A provisional response (180/183) to our INVITE.
   *
   * @param call our call
   * @param statusCode the provisional response's code
   * @param reason its reason phrase
   */
  default void callRinging(SipCall call, int statusCode, String reason) {}

  /**
   * The call is up: 2xx + ACK, media running.
   *
   * @param call the call that came up
   */
  default void callConnected(SipCall call) {}

  /**
   * The call never came up: error response, CANCEL (ours or the caller's), timeout, no common
   * codec. Terminal.
   *
   * @param call the call that failed
   * @param failure the response code and reason, or the cause in words
   */
  default void callFailed(SipCall call, SipFailure failure) {}

  /**
   * An established call ended. Terminal.
   *
   * @param call the call that ended
   * @param cause who or what ended it
   * @param description the ending in words, with SIP's details (method, code, Call-ID)
   */
  default void callEnded(SipCall call, CallEnd cause, String description) {}

  /**
   * What {@link SipCall#dialogRecord()} returns changed after {@code callConnected}: the remote
   * target or route set was refreshed, or a request of ours in the dialog took a CSeq. Not
   * terminal; may come any number of times between {@code callConnected} and the terminal event.
   *
   * @param call the call whose dialog state changed
   */
  default void dialogChanged(SipCall call) {}

  /**
   * The far end put the connected call on hold ({@code held}: its SDP said sendonly or inactive, so
   * we send no RTP, RFC 3264 §8.4) or took it back (sendrecv again: we send again). {@code
   * description} says which and by what request.
   *
   * @param call the call
   * @param held true when put on hold, false when taken back
   * @param description the change in words
   */
  default void callHoldChanged(SipCall call, boolean held, String description) {}

  /**
   * The far end accepted our REFER (202).
   *
   * @param call the call being transferred
   */
  default void transferAccepted(SipCall call) {}

  /**
   * The transfer target answered (2xx sipfrag); the backend ends the call next.
   *
   * @param call the call being transferred
   */
  default void transferSucceeded(SipCall call) {}

  /**
   * The REFER was refused, the sipfrag reported a failure, or no NOTIFY came in time. The call goes
   * on.
   *
   * @param call the call that stays up
   * @param failure the response code and reason, or the bound that passed
   */
  default void transferFailed(SipCall call, SipFailure failure) {}
}
