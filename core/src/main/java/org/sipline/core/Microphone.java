package org.sipline.core;

import org.sipline.core.StatusRecorder.Facts;

/**
 * SipMute / SipUnMute on the line's call: outgoing audio becomes silence and comes back while RTP
 * keeps flowing. Muting is the call's audio's property, kept through every call state; repeating
 * the current setting records nothing (SPEC §2).
 */
final class Microphone {
  private final StatusRecorder recorder;

  Microphone(StatusRecorder recorder) {
    this.recorder = recorder;
  }

  LineStatus set(ActiveCall c, boolean muted, Facts facts) {
    if (c.audio.isMuted() == muted) {
      return recorder.latest();
    }
    c.audio.setMuted(muted);
    return recorder.record(
        muted ? StatusType.MICROPHONE_MUTED : StatusType.MICROPHONE_UNMUTED,
        facts,
        (muted ? "microphone muted" : "microphone unmuted")
            + " on Call-ID "
            + c.callId()
            + "; RTP keeps flowing",
        null);
  }
}
