package org.sipline.backend.pjsip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.Transport;

/**
 * A call's dialog record as the shim writes it ({@code slpj_call_dialog}, read from pjsip's
 * dialog): NUL-separated Call-ID, incoming (0/1), local URI, local tag, remote URI, remote tag,
 * remote target, next CSeq, transport (0 UDP, 1 TCP, 2 TLS), first hop's host and port, then each
 * route.
 */
final class DialogFields {
  private static final int FIXED = 11;

  private DialogFields() {}

  static DialogRecord parse(byte[] text, int length) {
    if (length < 0 || length > text.length) {
      throw new IllegalArgumentException(
          "dialog record length " + length + " outside 0.." + text.length);
    }
    List<String> f = new ArrayList<>(FIXED + 2);
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (text[i] == 0) {
        f.add(new String(text, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start != length) {
      throw new IllegalArgumentException("dialog record not NUL-terminated");
    }
    if (f.size() < FIXED) {
      throw new IllegalArgumentException(
          "dialog record has " + f.size() + " fields, fewer than " + FIXED);
    }
    return new DialogRecord(
        f.get(0),
        "1".equals(f.get(1)),
        f.get(2),
        f.get(3),
        f.get(4),
        f.get(5),
        f.get(6),
        f.subList(FIXED, f.size()),
        Long.parseLong(f.get(7)),
        transport(f.get(8)),
        f.get(9),
        Integer.parseInt(f.get(10)));
  }

  private static Transport transport(String code) {
    return switch (code) {
      case "0" -> Transport.UDP;
      case "1" -> Transport.TCP;
      case "2" -> Transport.TLS;
      default -> throw new IllegalArgumentException("dialog record transport " + code);
    };
  }
}
