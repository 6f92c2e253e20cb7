package org.sipline.server.ctl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.sipline.api.sip.SipStatus;

/**
 * Prints statuses for people (one line each, facts as key=value, description last) or for scripts
 * ({@code --json}: proto3 JSON, one object per line).
 */
final class Printer {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final PrintWriter out;
  private final boolean json;

  Printer(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  void print(SipStatus status) {
    out.println(json ? json(status) : text(status));
    out.flush();
  }

  void printAll(List<SipStatus> statuses) {
    for (SipStatus s : statuses) {
      print(s);
    }
  }

  static String text(SipStatus s) {
    StringBuilder b = new StringBuilder();
    b.append(Instant.ofEpochSecond(s.getTimestamp().getSeconds(), s.getTimestamp().getNanos()))
        .append(' ')
        .append(s.getStatusType());
    field(b, "account", s.getAccountName());
    field(b, "remote", s.getCalleeId());
    field(b, "transfer", s.getTransferCallId());
    field(b, "nlu_session", s.getNluSessionName());
    if (s.getHeadersCount() > 0) {
      b.append(" headers=").append(new TreeMap<>(s.getHeadersMap()));
    }
    if (!s.getDescription().isEmpty()) {
      b.append(" - ").append(s.getDescription());
    }
    if (!s.getExceptionName().isEmpty()) {
      b.append(System.lineSeparator()).append("  exception: ").append(s.getExceptionName());
    }
    if (!s.getExceptionTraceback().isEmpty()) {
      for (String line : s.getExceptionTraceback().split("\\R")) {
        b.append(System.lineSeparator()).append("    ").append(line);
      }
    }
    return b.toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    if (!value.isEmpty()) {
      b.append(' ').append(name).append('=').append(value);
    }
  }

  private static String json(SipStatus s) {
    try {
      return JSON.print(s);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print; SipStatus has none.
      throw new IllegalStateException("SipStatus cannot be printed as JSON", e);
    }
  }
}
