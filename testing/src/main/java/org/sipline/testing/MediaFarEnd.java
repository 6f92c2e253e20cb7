package org.sipline.testing;

import java.time.Duration;

/**
 * The far end of the conformance suite's live-media cases: it answers the line's call, plays a
 * known signal into it from its answer on (then silence), stays until the line hangs up (at most a
 * minute), records what it hears, and sends and receives DTMF. Each environment maps it onto a real
 * phone (baresip) or the fake backend's scripted far end. Closing it stops it.
 */
public interface MediaFarEnd extends AutoCloseable {
  /** The callee_id that reaches it. */
  String callee();

  /** Waits until the line's RTP reaches it, so that what the line sends from now on is heard. */
  void awaitMediaEstablished(Duration timeout);

  /** Sends DTMF digits to the line, in order, during the call. */
  void sendDigits(String digits);

  /** The DTMF digits it received so far, in order. */
  String digitsReceived();

  /** What it heard, 8 kHz PCM: waits for the call's end and a complete recording. */
  short[] recording(Duration timeout);

  @Override
  void close();
}
