package org.sipline.backend.pjsip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One event as the shim queued it: type, account and call handles, a code (SIP status, expiry or
 * end cause, by type) and NUL-separated text fields.
 */
record NativeEvent(EventType type, int account, int call, int code, List<String> fields) {
  /** Slots of the int array slpj_event_next fills. */
  static final int INTS = 5;

  static NativeEvent decode(int[] ints, byte[] text) {
    int length = ints[4];
    if (length < 0 || length > text.length) {
      throw new IllegalArgumentException(
          "event text length " + length + " outside 0.." + text.length);
    }
    List<String> fields = new ArrayList<>(4);
    int start = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || text[i] == 0) {
        fields.add(new String(text, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return new NativeEvent(EventType.of(ints[0]), ints[1], ints[2], ints[3], List.copyOf(fields));
  }

  /** Field {@code index}, or "" when the shim sent fewer. */
  String field(int index) {
    return index < fields.size() ? fields.get(index) : "";
  }
}
