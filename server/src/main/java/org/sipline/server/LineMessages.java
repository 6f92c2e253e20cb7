package org.sipline.server;

import org.sipline.core.Line;
import org.sipline.core.LineStatus;

/** A served line as {@code sipline.lines.v1.Line}. */
final class LineMessages {
  private LineMessages() {}

  static org.sipline.api.lines.v1.Line toProto(String name, Line line, boolean defaultLine) {
    LineStatus latest = line.status();
    return org.sipline.api.lines.v1.Line.newBuilder()
        .setName(name)
        .setDefaultLine(defaultLine)
        .setStatus(StatusMessages.toProto(latest))
        .setLastSeq(latest.sequence())
        .setOldestSeq(line.oldestSequence())
        .setRegistered(line.isRegistered())
        .setInCall(line.inCall())
        .setFree(line.isFree())
        .build();
  }
}
