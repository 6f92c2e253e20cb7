package org.sipline.testing.peers;

import java.util.HashMap;
import java.util.Map;

/**
 * baresip's own view of a call's audio stream, as its {@code rtcpsummary} module prints it when the
 * call closes ({@code EX=BareSip;CS=…;CD=…;PR=…;PS=…;PL=…,…;PD=…,…;JI=…,…;DL=…;IP=…;}): from
 * libre's RTCP statistics, "rx" being the stream baresip received (ours) and "tx" the one it sent,
 * whose loss and jitter are what our RTCP reported to it.
 *
 * @param packetsReceived PR: RTP packets baresip received
 * @param packetsSent PS: RTP packets baresip sent
 * @param lostReceived PL's first: packets of the received stream baresip counted lost
 * @param lostSent PL's second: packets of its stream lost, as our reports said
 * @param jitterReceivedMillis JI's first: baresip's jitter of the stream it received, ms
 * @param jitterSentMillis JI's second: the jitter of its stream our reports gave, ms
 * @param roundTripMillis DL: the round trip baresip measured, ms
 */
public record RtcpSummary(
    long packetsReceived,
    long packetsSent,
    long lostReceived,
    long lostSent,
    double jitterReceivedMillis,
    double jitterSentMillis,
    double roundTripMillis) {

  static final String PREFIX = "EX=BareSip;";

  /** Parses the summary in {@code line} (anything before {@code EX=} ignored). */
  public static RtcpSummary parse(String line) {
    int at = line.indexOf(PREFIX);
    if (at < 0) {
      throw new IllegalArgumentException("no '" + PREFIX + "' in: " + line);
    }
    Map<String, String> fields = new HashMap<>();
    for (String part : line.substring(at).split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    try {
      String[] lost = pair(fields, "PL", line);
      String[] jitter = pair(fields, "JI", line);
      return new RtcpSummary(
          Long.parseLong(field(fields, "PR", line)),
          Long.parseLong(field(fields, "PS", line)),
          Long.parseLong(lost[0]),
          Long.parseLong(lost[1]),
          Double.parseDouble(jitter[0]),
          Double.parseDouble(jitter[1]),
          Double.parseDouble(field(fields, "DL", line)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rtcpsummary line with a bad number: " + line, e);
    }
  }

  private static String field(Map<String, String> fields, String name, String line) {
    String v = fields.get(name);
    if (v == null) {
      throw new IllegalArgumentException("rtcpsummary line without " + name + ": " + line);
    }
    return v;
  }

  private static String[] pair(Map<String, String> fields, String name, String line) {
    String[] v = field(fields, name, line).split(",");
    if (v.length != 2) {
      throw new IllegalArgumentException("rtcpsummary " + name + " not a pair: " + line);
    }
    return v;
  }
}
