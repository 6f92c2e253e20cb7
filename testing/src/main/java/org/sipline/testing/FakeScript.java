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

  public static FakeScript answer() {
    return new FakeScript(Duration.ofMillis(20), 200, "OK", null, 202, 200);
  }

  public static FakeScript answerAfter(Duration ring) {
    return new FakeScript(ring, 200, "OK", null, 202, 200);
  }

  public static FakeScript reject(int code, String reason) {
    return new FakeScript(Duration.ZERO, code, reason, null, 0, 0);
  }

  public static FakeScript ringThenReject(Duration ring, int code, String reason) {
    return new FakeScript(ring, code, reason, null, 0, 0);
  }

  public static FakeScript neverAnswer() {
    return new FakeScript(Duration.ZERO, 0, "", null, 0, 0);
  }

  public FakeScript hangingUpAfter(Duration d) {
    return new FakeScript(ringFor, finalCode, reason, d, referCode, notifyCode);
  }

  public FakeScript referAnswer(int code) {
    return new FakeScript(ringFor, finalCode, reason, hangupAfter, code, notifyCode);
  }

  public FakeScript notifyOutcome(int code) {
    return new FakeScript(ringFor, finalCode, reason, hangupAfter, referCode, code);
  }
}
