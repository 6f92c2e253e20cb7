package org.sipline.testing;

import java.time.Duration;
import org.opentest4j.TestAbortedException;

/**
 * The far end of the conformance suite's live-media cases: it answers the line's call, plays a
 * known signal into it from its answer on (then silence), stays until the line hangs up (at most a
 * minute), records what it hears, and sends and receives DTMF. Each environment maps it onto a real
 * phone (baresip) or the fake backend's scripted far end. Closing it stops it.
 */
public interface MediaFarEnd extends AutoCloseable {
  /**
   * The callee_id that reaches it.
   *
   * @return the callee_id
   */
  String callee();

  /**
   * Waits until the line's RTP reaches it, so that what the line sends from now on is heard.
   *
   * @param timeout how long to wait at most
   */
  void awaitMediaEstablished(Duration timeout);

  /**
   * Sends DTMF digits to the line, in order, during the call.
   *
   * @param digits the digits, from {@code 0-9 * # A-D}
   */
  void sendDigits(String digits);

  /**
   * The DTMF digits it received so far, in order.
   *
   * @return the digits
   */
  String digitsReceived();

  /**
   * What it heard, 8 kHz PCM: waits for the call's end and a complete recording.
   *
   * @param timeout how long to wait at most
   * @return the recording
   */
  short[] recording(Duration timeout);

  /**
   * The far end's own count of the call's RTP once it closed: what it sent and received, the loss
   * and jitter it measured. Waits for the call's end. An environment whose far end cannot tell
   * aborts (an assumption).
   *
   * @param timeout how long to wait at most
   * @return the far end's figures
   */
  default FarEndRtp rtpSummary(Duration timeout) {
    throw new TestAbortedException(getClass().getSimpleName() + " counts no RTP");
  }

  @Override
  void close();
}
