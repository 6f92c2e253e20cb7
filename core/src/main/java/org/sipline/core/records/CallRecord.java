package org.sipline.core.records;

import java.time.Instant;
import java.util.Objects;
import org.sipline.core.spi.RtpStatistics;

/**
 * What happened to one call, written once when it ended.
 *
 * @param callId the dialog's Call-ID
 * @param line the name of the line that had the call
 * @param account the session's account name
 * @param direction who placed the call
 * @param remote the far end's address of record
 * @param invited when the INVITE was sent or arrived
 * @param answered when the call connected (2xx + ACK), or null when it never did
 * @param ended when the line learned the call was over
 * @param sipCode the INVITE's final response code: 200 for a call that connected, the error code
 *     for one that did not (486, 487, 603, …), 0 when no final response came
 * @param sipReason that response's reason phrase, or what happened when none came
 * @param endedBy who ended it
 * @param ending how it ended
 * @param description the ending in words, as the status history has it
 * @param codec the audio codec's encoding name, "" when media never ran
 * @param promptsPlayed WAV files (SipPlayWavFiles) played to their end
 * @param dtmfReceived DTMF digits received (RFC 4733 events or SIP INFO)
 * @param dtmfSent DTMF digits sent
 * @param rtp the RTP/RTCP figures both ways
 * @param mosReceived the estimated MOS of the audio we received ({@link EModel}), 0 when none
 * @param mosSent the estimated MOS of the audio we sent, from the far end's RTCP reports, 0 when
 *     none came
 */
public record CallRecord(
    String callId,
    String line,
    String account,
    CallDirection direction,
    String remote,
    Instant invited,
    Instant answered,
    Instant ended,
    int sipCode,
    String sipReason,
    CallSide endedBy,
    CallEnding ending,
    String description,
    String codec,
    int promptsPlayed,
    int dtmfReceived,
    int dtmfSent,
    RtpStatistics rtp,
    double mosReceived,
    double mosSent) {

  /**
   * Checks that the identifying fields are given; null text fields become "".
   *
   * @param callId the dialog's Call-ID
   * @param line the name of the line that had the call
   * @param account the session's account name
   * @param direction who placed the call
   * @param remote the far end's address of record
   * @param invited when the INVITE was sent or arrived
   * @param answered when the call connected (2xx + ACK), or null when it never did
   * @param ended when the line learned the call was over
   * @param sipCode the INVITE's final response code: 200 for a call that connected, the error code
   *     for one that did not (486, 487, 603, …), 0 when no final response came
   * @param sipReason that response's reason phrase, or what happened when none came
   * @param endedBy who ended it
   * @param ending how it ended
   * @param description the ending in words, as the status history has it
   * @param codec the audio codec's encoding name, "" when media never ran
   * @param promptsPlayed WAV files (SipPlayWavFiles) played to their end
   * @param dtmfReceived DTMF digits received (RFC 4733 events or SIP INFO)
   * @param dtmfSent DTMF digits sent
   * @param rtp the RTP/RTCP figures both ways
   * @param mosReceived the estimated MOS of the audio we received ({@link EModel}), 0 when none
   * @param mosSent the estimated MOS of the audio we sent, from the far end's RTCP reports, 0 when
   *     none came
   */
  public CallRecord {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(invited, "invited");
    Objects.requireNonNull(ended, "ended");
    Objects.requireNonNull(sipReason, "sipReason");
    Objects.requireNonNull(endedBy, "endedBy");
    Objects.requireNonNull(ending, "ending");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(rtp, "rtp");
  }

  /**
   * Whether the call connected.
   *
   * @return true when the call was answered
   */
  public boolean wasAnswered() {
    return answered != null;
  }
}
