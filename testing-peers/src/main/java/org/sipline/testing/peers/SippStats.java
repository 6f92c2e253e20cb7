package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the cumulative call counts from SIPp's {@code -trace_stat} CSV: a header row of
 * ';'-separated column names, then one row per dump; the last row holds the final totals.
 */
final class SippStats {
  static final String SUCCESSFUL = "SuccessfulCall(C)";
  static final String FAILED = "FailedCall(C)";

  private SippStats() {}

  /** {successful, failed}, or {0, 0} when SIPp wrote no statistics (it failed before a dump). */
  static long[] read(Path csv) {
    if (!Files.exists(csv)) {
      return new long[] {0, 0};
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("reading SIPp statistics " + csv, e);
    }
    return parse(lines, csv.toString());
  }

  static long[] parse(List<String> lines, String source) {
    List<String> rows = lines.stream().filter(l -> !l.isBlank()).toList();
    if (rows.size() < 2) {
      return new long[] {0, 0};
    }
    String[] header = rows.get(0).split(";", -1);
    String[] last = rows.get(rows.size() - 1).split(";", -1);
    return new long[] {
      column(header, last, SUCCESSFUL, source), column(header, last, FAILED, source)
    };
  }

  private static long column(String[] header, String[] row, String name, String source) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].trim().equals(name)) {
        if (i >= row.length) {
          throw new PeerException(
              "SIPp statistics "
                  + source
                  + ": last row has "
                  + row.length
                  + " columns, "
                  + name
                  + " is column "
                  + (i + 1));
        }
        String value = row[i].trim();
        if (!value.matches("\\d{1,18}")) {
          throw new PeerException(
              "SIPp statistics " + source + ": " + name + " is not a count: '" + value + "'");
        }
        return Long.parseLong(value);
      }
    }
    throw new PeerException("SIPp statistics " + source + " has no column " + name);
  }
}
