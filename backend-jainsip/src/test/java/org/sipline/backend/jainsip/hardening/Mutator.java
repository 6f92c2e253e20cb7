package org.sipline.backend.jainsip.hardening;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Mutates SIP messages the way broken peers and scanners do: flipped and inserted bytes (line
 * breaks, NUL, quotes, separators, 8-bit), cut and duplicated ranges, truncation, swapped or
 * repeated lines, numbers turned huge or negative, giant tokens, and two messages spliced. Seeded,
 * so a failure names the seed and the input can be made again.
 */
final class Mutator {
  private static final byte[] INTERESTING = {
    '\r',
    '\n',
    0,
    ' ',
    '\t',
    ':',
    ';',
    ',',
    '<',
    '>',
    '"',
    '\\',
    '%',
    '=',
    '@',
    '[',
    ']',
    '/',
    (byte) 0x80,
    (byte) 0xff,
    (byte) 0xc3,
    '0',
    '9'
  };
  private static final List<String> NUMBERS =
      List.of(
          "-1",
          "0",
          "4294967296",
          "99999999999999999999999",
          "2147483648",
          "-2147483649",
          "00000000000000000001",
          "1e9",
          "0x10",
          "");

  private final RandomGenerator random;
  private final List<byte[]> seeds;

  Mutator(RandomGenerator random, List<byte[]> seeds) {
    this.random = random;
    this.seeds = seeds;
  }

  /** A seed with one to four mutations applied. */
  byte[] next() {
    byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      b = mutate(b);
    }
    return b;
  }

  private byte[] mutate(byte[] b) {
    if (b.length == 0) {
      return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
    }
    int at = random.nextInt(b.length);
    return switch (random.nextInt(10)) {
      case 0 -> flipBit(b, at);
      case 1 -> insert(b, at, new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]});
      case 2 -> delete(b, at, 1 + random.nextInt(Math.min(64, b.length - at)));
      case 3 ->
          duplicate(
              b,
              at,
              1 + random.nextInt(Math.min(32, b.length - at)),
              1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 8));
      case 4 -> Arrays.copyOf(b, at);
      case 5 -> lines(b, true);
      case 6 -> lines(b, false);
      case 7 -> number(b);
      case 8 ->
          insert(
              b,
              at,
              "x"
                  .repeat(1 + random.nextInt(random.nextInt(10) == 0 ? 5000 : 300))
                  .getBytes(StandardCharsets.US_ASCII));
      default -> splice(b, at);
    };
  }

  private byte[] flipBit(byte[] b, int at) {
    b[at] ^= (byte) (1 << random.nextInt(8));
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static byte[] delete(byte[] b, int at, int n) {
    byte[] out = new byte[b.length - n];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(b, at + n, out, at, b.length - at - n);
    return out;
  }

  private static byte[] duplicate(byte[] b, int at, int n, int times) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + n * times);
    out.write(b, 0, at + n);
    for (int i = 0; i < times; i++) {
      out.write(b, at, n);
    }
    out.write(b, at + n, b.length - at - n);
    return out.toByteArray();
  }

  /** Swaps two lines, or repeats one many times (a header given hundreds of times). */
  private byte[] lines(byte[] b, boolean swap) {
    String[] lines = new String(b, StandardCharsets.ISO_8859_1).split("\r\n", -1);
    if (lines.length < 2) {
      return b;
    }
    int i = random.nextInt(lines.length);
    int j = random.nextInt(lines.length);
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < lines.length; k++) {
      String line = swap && k == i ? lines[j] : swap && k == j ? lines[i] : lines[k];
      out.append(line);
      if (!swap && k == i) {
        int times = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 10);
        for (int t = 0; t < times; t++) {
          out.append("\r\n").append(line);
        }
      }
      if (k < lines.length - 1) {
        out.append("\r\n");
      }
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Replaces one run of digits by a number no field expects. */
  private byte[] number(byte[] b) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    int start = random.nextInt(s.length());
    while (start < s.length() && !Character.isDigit(s.charAt(start))) {
      start++;
    }
    if (start == s.length()) {
      return b;
    }
    int end = start;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return (s.substring(0, start) + NUMBERS.get(random.nextInt(NUMBERS.size())) + s.substring(end))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private byte[] splice(byte[] b, int at) {
    byte[] other = seeds.get(random.nextInt(seeds.size()));
    int from = random.nextInt(other.length);
    byte[] out = Arrays.copyOf(b, at + other.length - from);
    System.arraycopy(other, from, out, at, other.length - from);
    return out;
  }
}
