package org.sipline.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One {@link LineStatus} as one line of JSON, and back. Flat and fixed, so a hand-written codec
 * keeps core free of a JSON library; the reader accepts only what the writer produces (plus
 * whitespace and unknown fields, for journals written by a later version).
 */
final class StatusJson {
  private StatusJson() {}

  static String write(LineStatus s) {
    StringBuilder sb = new StringBuilder(256);
    sb.append('{');
    sb.append("\"seq\":").append(s.sequence());
    field(sb, "account", s.accountName());
    field(sb, "time", s.timestamp().toString());
    field(sb, "type", s.type().name());
    field(sb, "callee", s.calleeId());
    field(sb, "transfer", s.transferCallId());
    sb.append(",\"headers\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : s.headers().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      JsonLine.string(sb, e.getKey());
      sb.append(':');
      JsonLine.string(sb, e.getValue());
    }
    sb.append('}');
    field(sb, "description", s.description());
    field(sb, "exception", s.exceptionName());
    field(sb, "traceback", s.exceptionTraceback());
    field(sb, "nlu", s.nluSessionName());
    return sb.append('}').toString();
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(",\"").append(name).append("\":");
    JsonLine.string(sb, value);
  }

  /** Parses one journal line; throws {@link IllegalArgumentException} saying where it broke. */
  static LineStatus read(String line) {
    Map<String, Object> obj = JsonLine.parse(line);
    try {
      if (!(obj.get("seq") instanceof Long seq)) {
        throw new IllegalArgumentException("missing \"seq\"");
      }
      @SuppressWarnings("unchecked")
      Map<String, String> headers =
          obj.get("headers") instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
      return new LineStatus(
          seq,
          str(obj, "account"),
          Instant.parse(str(obj, "time")),
          StatusType.valueOf(str(obj, "type")),
          str(obj, "callee"),
          str(obj, "transfer"),
          headers,
          str(obj, "description"),
          str(obj, "exception"),
          str(obj, "traceback"),
          str(obj, "nlu"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad \"time\": " + e.getMessage(), e);
    }
  }

  private static String str(Map<String, Object> obj, String key) {
    Object v = obj.get(key);
    if (v == null) {
      return "";
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("\"" + key + "\" is not a string");
    }
    return s;
  }
}
