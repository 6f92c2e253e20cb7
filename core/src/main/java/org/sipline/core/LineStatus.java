package org.sipline.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a line's status history: what the line became, when, and the call facts that go with
 * it. Mirrors {@code ondewo.sip.SipStatus} field for field, plus a sequence number that is unique
 * and increasing per line (for a resumable watch later) — answers that change nothing (NO_SESSION /
 * NO_ONGOING_CALL replies) carry the sequence number of the latest entry.
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

  /** The same facts as a different type, e.g. a reply that is not recorded. */
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
