package org.sipline.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
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
      string(sb, e.getKey());
      sb.append(':');
      string(sb, e.getValue());
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
    string(sb, value);
  }

  private static void string(StringBuilder sb, String v) {
    sb.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Parses one journal line; throws {@link IllegalArgumentException} saying where it broke. */
  static LineStatus read(String line) {
    Parser p = new Parser(line);
    Map<String, Object> obj = p.object();
    p.end();
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

  /** A strict recursive-descent reader for the subset above: objects, strings, integers. */
  private static final class Parser {
    private final String in;
    private int pos;
    private int depth;

    Parser(String in) {
      this.in = in;
    }

    Map<String, Object> object() {
      if (++depth > 2) {
        throw error("nested too deep");
      }
      expect('{');
      Map<String, Object> out = new LinkedHashMap<>();
      skipSpace();
      if (peek() == '}') {
        pos++;
        depth--;
        return out;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        char c = peek();
        Object value;
        if (c == '"') {
          value = string();
        } else if (c == '{') {
          Map<String, Object> inner = object();
          for (Object v : inner.values()) {
            if (!(v instanceof String)) {
              throw error("header values must be strings");
            }
          }
          value = inner;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          value = number();
        } else {
          throw error("unexpected '" + c + "'");
        }
        out.put(key, value);
        skipSpace();
        char sep = next();
        if (sep == '}') {
          depth--;
          return out;
        }
        if (sep != ',') {
          throw error("expected ',' or '}' but got '" + sep + "'");
        }
      }
    }

    Long number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
        pos++;
      }
      try {
        return Long.parseLong(in.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("bad number");
      }
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (pos + 4 > in.length()) {
              throw error("truncated \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(in.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    void end() {
      skipSpace();
      if (pos != in.length()) {
        throw error("trailing characters");
      }
    }

    private void skipSpace() {
      while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
        pos++;
      }
    }

    private char peek() {
      if (pos >= in.length()) {
        throw error("unexpected end");
      }
      return in.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private void expect(char c) {
      char got = next();
      if (got != c) {
        throw error("expected '" + c + "' but got '" + got + "'");
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at column " + pos);
    }
  }
}
