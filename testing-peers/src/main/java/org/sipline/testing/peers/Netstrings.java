package org.sipline.testing.peers;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Netstring framing as baresip's ctrl_tcp uses it: {@code <decimal length>:<payload>,}. Lengths are
 * checked before anything is allocated.
 */
final class Netstrings {
  /** Far above any baresip message; a larger length means the stream is out of step. */
  static final int MAX_PAYLOAD = 1 << 20;

  private static final int MAX_LENGTH_DIGITS = 7;

  private Netstrings() {}

  static byte[] encode(String payload) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    if (body.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "netstring payload " + body.length + " bytes > " + MAX_PAYLOAD);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 10);
    out.writeBytes(Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
    out.write(':');
    out.writeBytes(body);
    out.write(',');
    return out.toByteArray();
  }

  /**
   * Reads the next netstring's payload, or null at a clean end of stream (between frames).
   *
   * @throws IOException for a malformed frame (naming the offending byte) or an end of stream
   *     inside a frame
   */
  static String read(InputStream in) throws IOException {
    int length = 0;
    int digits = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (digits == 0) {
          return null;
        }
        throw new EOFException("end of stream inside a netstring length");
      }
      if (b == ':') {
        break;
      }
      if (b < '0' || b > '9') {
        throw new IOException("netstring length has non-digit byte 0x" + Integer.toHexString(b));
      }
      if (++digits > MAX_LENGTH_DIGITS) {
        throw new IOException("netstring length has more than " + MAX_LENGTH_DIGITS + " digits");
      }
      length = length * 10 + (b - '0');
    }
    if (digits == 0) {
      throw new IOException("netstring without a length before ':'");
    }
    if (length > MAX_PAYLOAD) {
      throw new IOException("netstring length " + length + " > " + MAX_PAYLOAD);
    }
    byte[] payload = in.readNBytes(length);
    if (payload.length < length) {
      throw new EOFException(
          "netstring payload ended after " + payload.length + " of " + length + " bytes");
    }
    int end = in.read();
    if (end != ',') {
      throw new IOException(
          "netstring of "
              + length
              + " bytes not followed by ',' but "
              + (end < 0 ? "end of stream" : "0x" + Integer.toHexString(end)));
    }
    return new String(payload, StandardCharsets.UTF_8);
  }
}
