package org.sipline.backend.pjsip;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the header block the shim prints for an incoming INVITE ({@code Name: value} lines
 * separated by CRLF) into name → value, several values of one name joined with ", " as {@link
 * org.sipline.core.spi.IncomingCall} wants. The text comes from the network: lines without a name
 * are skipped, never trusted.
 */
final class HeaderBlock {
  private HeaderBlock() {}

  static Map<String, String> parse(String block) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.isEmpty()) {
        continue;
      }
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    return headers;
  }
}
