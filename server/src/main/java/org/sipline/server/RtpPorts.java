package org.sipline.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The RTP port range as written on the command line: {@code 10000-20000}, or {@code any} (0-0) for
 * any free port. Whether the range is usable is checked by {@link ServerConfig}.
 */
record RtpPorts(int min, int max) {
  static final RtpPorts ANY = new RtpPorts(0, 0);

  private static final Pattern RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");

  static final class Converter implements ITypeConverter<RtpPorts> {
    @Override
    public RtpPorts convert(String value) {
      String v = value.strip();
      if (v.equalsIgnoreCase("any")) {
        return ANY;
      }
      Matcher m = RANGE.matcher(v);
      if (!m.matches()) {
        throw new TypeConversionException("'" + value + "' is not a port range (MIN-MAX or any)");
      }
      return new RtpPorts(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
  }
}
