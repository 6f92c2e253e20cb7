package org.sipline.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.sipline.api.records.v1.CallRecord;
import org.sipline.core.records.CallRecordSink;
import org.sipline.core.spi.RtpStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every line's call records go: one log line each, the newest {@code keep} in memory for
 * ListCallRecords, and, with {@code --call-records}, the JSON-lines file. The sink every line is
 * given; called on the lines' actors, so it only queues.
 */
final class CallRecordKeeper implements CallRecordSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("org.sipline.server.CallRecords");

  private final int keep;
  private final CallRecordFile file;
  private final Deque<CallRecord> kept = new ArrayDeque<>();
  private volatile CallRecordSink observer = CallRecordSink.DISCARD;

  private CallRecordKeeper(int keep, CallRecordFile file, List<CallRecord> earlier) {
    this.keep = keep;
    this.file = file;
    for (CallRecord r : earlier) {
      remember(r);
    }
  }

  /**
   * Keeps {@code keep} records; with a file, first reads back its newest ones so that a restart
   * keeps them listed.
   */
  static CallRecordKeeper open(Path file, int keep) throws IOException {
    if (file == null) {
      return new CallRecordKeeper(keep, null, List.of());
    }
    List<CallRecord> earlier = CallRecordFile.read(file, keep);
    return new CallRecordKeeper(keep, CallRecordFile.open(file), earlier);
  }

  /** Hands every record from now on to {@code also} too (the metrics' RTP series). */
  void alsoTo(CallRecordSink also) {
    observer = also;
  }

  @Override
  public void accept(org.sipline.core.records.CallRecord record) {
    CallRecord r = CallRecordMessages.toProto(record);
    log.info(describe(record));
    remember(r);
    if (file != null) {
      file.append(r);
    }
    // Last, so that a fault there cannot cost the record its log line, listing or file line.
    try {
      observer.accept(record);
    } catch (RuntimeException e) {
      log.warn("call {}: its record's metrics not updated", record.callId(), e);
    }
  }

  private synchronized void remember(CallRecord r) {
    if (keep == 0) {
      return;
    }
    kept.addLast(r);
    while (kept.size() > keep) {
      kept.removeFirst();
    }
  }

  /**
   * The kept records, oldest first: of {@code line} ("" for all), ended in {@code [from, to)} (null
   * for no bound), the newest {@code limit} of them (0 for all).
   */
  synchronized List<CallRecord> list(String line, Instant from, Instant to, int limit) {
    List<CallRecord> out = new ArrayList<>();
    for (CallRecord r : kept) {
      if (!line.isEmpty() && !line.equals(r.getLine())) {
        continue;
      }
      Instant ended = CallRecordMessages.ended(r);
      if ((from != null && ended.isBefore(from)) || (to != null && !ended.isBefore(to))) {
        continue;
      }
      out.add(r);
    }
    return limit > 0 && out.size() > limit ? out.subList(out.size() - limit, out.size()) : out;
  }

  /** One log line in SIP terms: who, how it ended, the final code, and the media's quality. */
  static String describe(org.sipline.core.records.CallRecord r) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("Call record: Call-ID ")
        .append(r.callId())
        .append(", line ")
        .append(r.line())
        .append(", ")
        .append(r.direction().name().toLowerCase(Locale.ROOT))
        .append(
            r.direction() == org.sipline.core.records.CallDirection.INCOMING ? " from " : " to ")
        .append(r.remote())
        .append(": ")
        .append(r.sipCode() == 0 ? "no final response" : r.sipCode() + " " + r.sipReason())
        .append(", ended by ")
        .append(r.endedBy().name().toLowerCase(Locale.ROOT))
        .append(' ')
        .append(r.ending().name().replace('_', ' '));
    if (r.answered() != null) {
      Duration talk = Duration.between(r.answered(), r.ended());
      sb.append(String.format(Locale.ROOT, " after %.1f s", talk.toMillis() / 1000.0));
    }
    RtpStatistics rtp = r.rtp();
    if (rtp.packetsSent() > 0 || rtp.packetsReceived() > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "; %s RTP sent %d, received %d, loss in %.1f %% out %s, jitter in %.1f ms, RTT %s,"
                  + " MOS %.2f",
              r.codec(),
              rtp.packetsSent(),
              rtp.packetsReceived(),
              rtp.inbound().lossRatio() * 100,
              rtp.outbound().reported()
                  ? String.format(Locale.ROOT, "%.1f %%", rtp.outbound().lossRatio() * 100)
                  : "unreported",
              rtp.inbound().jitterMillis(),
              rtp.hasRoundTrip()
                  ? String.format(Locale.ROOT, "%.1f ms", rtp.roundTripMillis())
                  : "unknown",
              r.mosReceived()));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (file != null) {
      file.close();
    }
  }
}
