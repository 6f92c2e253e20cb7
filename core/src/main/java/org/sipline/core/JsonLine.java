package org.sipline.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flat JSON the journals are written in, one object per line: strings, integers, arrays of
 * strings and one level of objects with string values. Hand-written so core needs no JSON library;
 * the reader is strict (it accepts what the writers produce, plus whitespace) and says where a line
 * broke, since a journal is outside input after a crash.
 */
final class JsonLine {
  private JsonLine() {}

  /** Parses one line; throws {@link IllegalArgumentException} saying where it broke. */
  static Map<String, Object> parse(String line) {
    Parser p = new Parser(line);
    Map<String, Object> obj = p.object();
    p.end();
    return obj;
  }

  static void string(StringBuilder sb, String v) {
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
        } else if (c == '[') {
          value = strings();
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

    List<String> strings() {
      expect('[');
      List<String> out = new ArrayList<>();
      skipSpace();
      if (peek() == ']') {
        pos++;
        return out;
      }
      while (true) {
        skipSpace();
        out.add(string());
        skipSpace();
        char sep = next();
        if (sep == ']') {
          return out;
        }
        if (sep != ',') {
          throw error("expected ',' or ']' but got '" + sep + "'");
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
