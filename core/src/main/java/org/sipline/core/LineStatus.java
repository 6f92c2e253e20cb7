package org.sipline.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a line's status history: what the line became, when, and the call facts that go with
 * it. Mirrors {@code ondewo.sip.SipStatus} field for field, plus a sequence number that is unique
 * and increasing per line (for a resumable watch later) — answers that change nothing (NO_SESSION /
 * NO_ONGOING_CALL replies) carry the sequence number of the latest entry.
 *
 * @param sequence the entry's number, unique and increasing per line
 * @param accountName the session's account, or ""
 * @param timestamp when the line became this
 * @param type what the line became
 * @param calleeId the call's far end, or "" without a call
 * @param transferCallId the transfer target, or ""
 * @param headers the call's SIP headers as the status reports them
 * @param description the status in words, with SIP's details
 * @param exceptionName the failure's kind, or ""
 * @param exceptionTraceback the failure's trace, or ""
 * @param nluSessionName the call's NLU session name, or ""
 */
public record LineStatus(
    long sequence,
    String accountName,
    Instant timestamp,
    StatusType type,
    String calleeId,
    String transferCallId,
    Map<String, String> headers,
    String description,
    String exceptionName,
    String exceptionTraceback,
    String nluSessionName) {

  /**
   * Checks that timestamp and type are given; null text fields become "" and null headers empty.
   *
   * @param sequence the entry's number, unique and increasing per line
   * @param accountName the session's account, or ""
   * @param timestamp when the line became this
   * @param type what the line became
   * @param calleeId the call's far end, or "" without a call
   * @param transferCallId the transfer target, or ""
   * @param headers the call's SIP headers as the status reports them
   * @param description the status in words, with SIP's details
   * @param exceptionName the failure's kind, or ""
   * @param exceptionTraceback the failure's trace, or ""
   * @param nluSessionName the call's NLU session name, or ""
   */
  public LineStatus {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(type, "type");
    accountName = nz(accountName);
    calleeId = nz(calleeId);
    transferCallId = nz(transferCallId);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    description = nz(description);
    exceptionName = nz(exceptionName);
    exceptionTraceback = nz(exceptionTraceback);
    nluSessionName = nz(nluSessionName);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /**
   * The same facts as a different type, e.g. a reply that is not recorded.
   *
   * @param newType the type of the copy
   * @param newDescription the description of the copy
   * @return a copy with the same sequence, time and call facts
   */
  public LineStatus as(StatusType newType, String newDescription) {
    return new LineStatus(
        sequence,
        accountName,
        timestamp,
        newType,
        calleeId,
        transferCallId,
        headers,
        newDescription,
        "",
        "",
        nluSessionName);
  }
}
