package org.sipline.server;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a byte count: {@code 1048576}, {@code 512KiB}, {@code 32MiB}, {@code 1GiB}. */
final class ByteSizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(k|m|g|kib|mib|gib)?");

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a byte size (e.g. 1048576, 512KiB, 32MiB, 1GiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    int shift =
        unit == null
            ? 0
            : switch (unit.charAt(0)) {
              case 'k' -> 10;
              case 'm' -> 20;
              default -> 30;
            };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    return n << shift;
  }
}
