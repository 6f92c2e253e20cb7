package org.sipline.testing;

import java.time.Duration;
import java.util.List;
import org.opentest4j.TestAbortedException;
import org.sipline.core.spi.SipBackend;

/**
 * The world a backend runs the conformance suite in: the backend itself and peers that behave as
 * the suite asks. One environment serves a whole test class; it is closed after it.
 */
public interface ConformanceEnvironment extends AutoCloseable {
  /**
   * The backend under test, started by the environment and closed with it.
   *
   * @return the backend
   */
  SipBackend backend();

  /**
   * An account the registrar accepts: {user@host[:port], password, auth user, proxy}.
   *
   * @return the account
   */
  Credentials account();

  /**
   * The same account with a password the registrar refuses.
   *
   * @return the account with a wrong password
   */
  Credentials wrongPassword();

  /**
   * The callee_id that reaches a far end behaving as {@code behaviour}.
   *
   * @param behaviour how the far end is to behave
   * @return the callee_id
   */
  String callee(FarEnd behaviour);

  /**
   * A transfer target (transfer_id) for the TRANSFER_* far ends.
   *
   * @return the transfer target
   */
  String transferTarget();

  /**
   * Starts a caller towards {@link #account()} following {@code script}.
   *
   * @param script what the caller does and expects
   * @return the caller, already started
   */
  Caller call(CallerScript script);

  /**
   * A far end for the live-media cases that plays {@code audio} (8 kHz mono PCM) from its answer
   * on; see {@link MediaFarEnd}.
   *
   * @param audio the far end's audio
   * @return the far end, whose callee_id the case calls
   */
  MediaFarEnd mediaFarEnd(short[] audio);

  /**
   * Waits until the registrar no longer holds a binding for {@link #account()}.
   *
   * @param timeout how long to wait at most
   * @return true when the binding is gone, false when the time passed
   * @throws InterruptedException when the waiting thread is interrupted
   */
  boolean awaitUnregistered(Duration timeout) throws InterruptedException;

  /**
   * Sends one out-of-dialog {@code method} (INVITE, REFER or MESSAGE) for {@link #account()}'s user
   * straight to the backend's SIP port from a stranger — a host that is neither the account's
   * registrar or outbound proxy nor a trusted source — once, never retransmitted, an INVITE's
   * answer never ACKed, and returns every response to it that arrived within {@code listen}. An
   * environment without a network to send it over aborts (an assumption), so the cases that need it
   * are reported skipped there.
   *
   * @param method the request's method
   * @param listen how long to collect responses
   * @return the responses' codes
   */
  default StrangerReply strangerSends(String method, Duration listen) {
    throw new TestAbortedException(getClass().getSimpleName() + " has no stranger to send from");
  }

  /**
   * Sends one out-of-dialog INVITE for {@link #account()}'s user straight to the backend's SIP port
   * from a trusted host (the registrar's), its SDP offer's c= a host name rather than an IP
   * address, once, never retransmitted nor ACKed, and returns every response that arrived within
   * {@code listen}. An environment without a network aborts.
   *
   * @param listen how long to collect responses
   * @return the responses' codes
   */
  default StrangerReply offerWithHostNameSends(Duration listen) {
    throw new TestAbortedException(getClass().getSimpleName() + " has no SDP to send");
  }

  /**
   * Sends the backend a 200 OK to an INVITE nobody sent (a made-up Call-ID, branch and tags), its
   * Contact and SDP naming a third party, and returns the first line of everything that reached the
   * sender or the third party within {@code listen}: what the backend sent in answer, which should
   * be nothing. An environment without a network aborts.
   *
   * @param listen how long to watch
   * @return the first lines of what arrived, in order
   */
  default List<String> forgedOkSends(Duration listen) {
    throw new TestAbortedException(getClass().getSimpleName() + " cannot forge a 200 OK");
  }

  /**
   * Starts sending RTP (PCMU, a loud tone, every 20 ms) to every port the backend may give a call's
   * RTP, from hosts and ports no far end uses, until closed. An environment without a network
   * aborts.
   *
   * @return a handle whose close stops the intruder
   */
  default AutoCloseable rtpIntruder() {
    throw new TestAbortedException(getClass().getSimpleName() + " has no RTP to intrude on");
  }

  /**
   * Closes the backend and starts another on the same address and port, configured as before but
   * with {@code mediaTimeout} (zero: off); {@link #backend()} returns it from then on. An
   * environment whose backend has no media timeout aborts.
   *
   * @param mediaTimeout the new backend's media timeout
   */
  default void restartBackend(Duration mediaTimeout) {
    throw new TestAbortedException(getClass().getSimpleName() + " has no media timeout");
  }

  /**
   * Waits until the far end {@link #callee(FarEnd)} last made for {@code behaviour} has run its
   * whole part and says whether it succeeded (for {@link FarEnd#REFER_FROM_FAR_END}: its REFER was
   * refused, then the line hung up). An environment whose far ends cannot tell aborts.
   *
   * @param behaviour the far end's behaviour
   * @param timeout how long to wait at most
   * @return true when the far end ran its part as expected
   */
  default boolean awaitFarEndSucceeded(FarEnd behaviour, Duration timeout) {
    throw new TestAbortedException(getClass().getSimpleName() + "'s far ends report no outcome");
  }

  /**
   * Bounds that suit this environment's peers (a fake answers in microseconds, SIPp doesn't).
   *
   * @return the bound on waits for this environment's peers
   */
  default Duration patience() {
    return Duration.ofSeconds(15);
  }

  @Override
  void close();

  /** The status codes of every response a stranger got, in order of arrival. */
  record StrangerReply(List<Integer> codes) {
    /**
     * The final responses (200-699), retransmissions included.
     *
     * @return the final responses' codes
     */
    public List<Integer> finals() {
      return codes.stream().filter(c -> c >= 200).toList();
    }

    /**
     * The provisional responses (100-199).
     *
     * @return the provisional responses' codes
     */
    public List<Integer> provisionals() {
      return codes.stream().filter(c -> c < 200).toList();
    }
  }

  /** What SipRegisterAccount is given. */
  record Credentials(
      String accountName, String password, String authUsername, String outboundProxy) {}
}
