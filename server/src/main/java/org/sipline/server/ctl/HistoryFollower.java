package org.sipline.server.ctl;

import com.google.protobuf.Empty;
import com.google.protobuf.util.Timestamps;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;

/**
 * Follows the line's history by polling SipGetSipStatusHistory (ondewo.sip has no stream) and
 * prints each status that is new since the last one seen.
 */
final class HistoryFollower {
  private final SipClient client;
  private final Duration deadline;
  private final Duration interval;
  private final Printer printer;

  HistoryFollower(SipClient client, Duration deadline, Duration interval, Printer printer) {
    this.client = client;
    this.deadline = deadline;
    this.interval = interval;
    this.printer = printer;
  }

  List<SipStatus> history() {
    return client
        .sip(deadline)
        .sipGetSipStatusHistory(Empty.getDefaultInstance())
        .getStatusHistoryList();
  }

  /**
   * Prints every status after {@code from} as it appears, until one of a type in {@code until} has
   * been printed.
   *
   * @return that status, or null when the thread was interrupted first
   */
  SipStatus follow(SipStatus from, Set<StatusType> until) {
    SipStatus last = from;
    while (!Thread.currentThread().isInterrupted()) {
      for (SipStatus s : after(history(), last)) {
        printer.print(s);
        last = s;
        if (until.contains(s.getStatusType())) {
          return s;
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }

  /**
   * The statuses after {@code last}. If {@code last} is no longer in the history (trimmed by the
   * history limit, or the server restarted), everything newer than its timestamp.
   */
  static List<SipStatus> after(List<SipStatus> history, SipStatus last) {
    if (last == null) {
      return history;
    }
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).equals(last)) {
        return history.subList(i + 1, history.size());
      }
    }
    int from = history.size();
    while (from > 0
        && Timestamps.compare(history.get(from - 1).getTimestamp(), last.getTimestamp()) > 0) {
      from--;
    }
    return history.subList(from, history.size());
  }
}
