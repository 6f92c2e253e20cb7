package org.sipline.testing;

import java.time.Duration;

/**
 * What the fake far end of an outgoing call does. Built with the static factories; the timings are
 * real time so that auto-answer, playback and hangup bounds run as they would on a network.
 *
 * @param ringFor how long it rings (180) before its final answer
 * @param finalCode the final response: 200 answers, anything else rejects; 0 never answers
 * @param reason the reason phrase of a rejection
 * @param hangupAfter after answering, when it sends BYE itself; null never
 * @param referCode how it answers a REFER: 202 accepts, anything else refuses; 0 never answers
 * @param notifyCode after accepting a REFER, the sipfrag status it reports; 0 sends no NOTIFY
 */
public record FakeScript(
    Duration ringFor,
    int finalCode,
    String reason,
    Duration hangupAfter,
    int referCode,
    int notifyCode) {

  /**
   * Answers after 20 ms of ringing; accepts a REFER and reports it succeeded.
   *
   * @return the script
   */
  public static FakeScript answer() {
    return new FakeScript(Duration.ofMillis(20), 200, "OK", null, 202, 200);
  }

  /**
   * Answers after {@code ring}; accepts a REFER and reports it succeeded.
   *
   * @param ring how long it rings
   * @return the script
   */
  public static FakeScript answerAfter(Duration ring) {
    return new FakeScript(ring, 200, "OK", null, 202, 200);
  }

  /**
   * Rejects at once.
   *
   * @param code the final response's code
   * @param reason its reason phrase
   * @return the script
   */
  public static FakeScript reject(int code, String reason) {
    return new FakeScript(Duration.ZERO, code, reason, null, 0, 0);
  }

  /**
   * Rings, then rejects.
   *
   * @param ring how long it rings
   * @param code the final response's code
   * @param reason its reason phrase
   * @return the script
   */
  public static FakeScript ringThenReject(Duration ring, int code, String reason) {
    return new FakeScript(ring, code, reason, null, 0, 0);
  }

  /**
   * Never answers: the line's bounds decide.
   *
   * @return the script
   */
  public static FakeScript neverAnswer() {
    return new FakeScript(Duration.ZERO, 0, "", null, 0, 0);
  }

  /**
   * The same script, and once answered the far end hangs up itself.
   *
   * @param d how long after answering it sends BYE
   * @return a new script
   */
  public FakeScript hangingUpAfter(Duration d) {
    return new FakeScript(ringFor, finalCode, reason, d, referCode, notifyCode);
  }

  /**
   * The same script with another answer to a REFER.
   *
   * @param code 202 accepts, anything else refuses, 0 never answers
   * @return a new script
   */
  public FakeScript referAnswer(int code) {
    return new FakeScript(ringFor, finalCode, reason, hangupAfter, code, notifyCode);
  }

  /**
   * The same script with another transfer outcome.
   *
   * @param code the sipfrag status reported after accepting a REFER; 0 sends no NOTIFY
   * @return a new script
   */
  public FakeScript notifyOutcome(int code) {
    return new FakeScript(ringFor, finalCode, reason, hangupAfter, referCode, code);
  }
}
