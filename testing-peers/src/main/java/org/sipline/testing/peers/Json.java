package org.sipline.testing.peers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON parser for what baresip's ctrl_tcp sends, and a writer for the flat string
 * objects we send it. Parsed objects become {@code Map<String, Object>} (in document order), arrays
 * {@code List<Object>}, strings {@code String}, integers {@code Long}, other numbers {@code
 * Double}, literals {@code Boolean} or null. Anything else is refused with the offset and what was
 * expected; nesting deeper than {@value #MAX_DEPTH} is refused too. Core's test code has no JSON
 * library, and the fixtures must not pull one into every module that uses them.
 */
final class Json {
  static final int MAX_DEPTH = 32;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value that makes up the whole of {@code text}. */
  static Object parse(String text) {
    Json json = new Json(text);
    json.skipSpace();
    Object value = json.value(0);
    json.skipSpace();
    if (json.pos != text.length()) {
      throw json.error("end of input");
    }
    return value;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String text) {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("JSON is not an object: " + abbreviate(text));
    }
    return (Map<String, Object>) value;
  }

  /** Writes a flat object of string members, e.g. a ctrl_tcp command. */
  static String writeObject(Map<String, String> members) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> member : members.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      writeString(sb, member.getKey());
      sb.append(':');
      writeString(sb, member.getValue());
    }
    return sb.append('}').toString();
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "JSON nested deeper than " + MAX_DEPTH + " at offset " + pos);
    }
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", true);
      case 'f' -> literal("false", false);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("a value");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek('}')) {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipSpace();
      if (!peek('"')) {
        throw error("a member name");
      }
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      map.put(key, value(depth + 1));
      skipSpace();
      if (peek(',')) {
        pos++;
      } else if (peek('}')) {
        pos++;
        return Collections.unmodifiableMap(map);
      } else {
        throw error("',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek(']')) {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipSpace();
      list.add(value(depth + 1));
      skipSpace();
      if (peek(',')) {
        pos++;
      } else if (peek(']')) {
        pos++;
        return Collections.unmodifiableList(list);
      } else {
        throw error("',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("a closing '\"'");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("no control character inside a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("an escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("4 hex digits");
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("4 hex digits");
          }
          pos += 4;
        }
        default -> {
          pos--;
          throw error("a valid escape");
        }
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek('-')) {
      pos++;
    }
    int intStart = pos;
    digits();
    if (pos == intStart || (text.charAt(intStart) == '0' && pos - intStart > 1)) {
      pos = intStart;
      throw error("digits without a leading zero");
    }
    boolean integral = true;
    if (peek('.')) {
      integral = false;
      pos++;
      int fracStart = pos;
      digits();
      if (pos == fracStart) {
        throw error("digits after '.'");
      }
    }
    if (peek('e') || peek('E')) {
      integral = false;
      pos++;
      if (peek('+') || peek('-')) {
        pos++;
      }
      int expStart = pos;
      digits();
      if (pos == expStart) {
        throw error("exponent digits");
      }
    }
    String literal = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException tooBig) {
        return Double.parseDouble(literal);
      }
    }
    return Double.parseDouble(literal);
  }

  private void digits() {
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("'" + word + "'");
    }
    pos += word.length();
    return value;
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private IllegalArgumentException error(String expected) {
    String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "end of input";
    return new IllegalArgumentException(
        "JSON: expected "
            + expected
            + " at offset "
            + pos
            + " but found "
            + found
            + " in "
            + abbreviate(text));
  }

  private static String abbreviate(String text) {
    return text.length() <= 200
        ? text
        : text.substring(0, 200) + "...(" + text.length() + " chars)";
  }
}
