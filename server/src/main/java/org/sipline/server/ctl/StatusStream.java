package org.sipline.server.ctl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.sipline.api.lines.v1.GetLineRequest;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;

/**
 * Follows the line with sipline.lines.v1 WatchStatus: statuses arrive as the line records them, and
 * a dropped connection is resumed from the last sequence number printed, so nothing is printed
 * twice or skipped. A gap the server reports (the watcher fell further behind than the history
 * keeps) is printed as a note on standard error.
 */
final class StatusStream {
  private final SipClient client;
  private final Duration deadline;
  private final Duration retry;
  private final Printer printer;
  private final java.io.PrintWriter err;

  StatusStream(
      SipClient client,
      Duration deadline,
      Duration retry,
      Printer printer,
      java.io.PrintWriter err) {
    this.client = client;
    this.deadline = deadline;
    this.retry = retry;
    this.printer = printer;
    this.err = err;
  }

  /**
   * The newest sequence number of the line.
   *
   * @throws StatusRuntimeException UNIMPLEMENTED when the server has no Lines service
   */
  long newest() {
    return LinesGrpc.newBlockingStub(client.channel())
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .getLine(GetLineRequest.getDefaultInstance())
        .getLastSeq();
  }

  /**
   * Prints every status after {@code after} until one of a type in {@code until} has been printed,
   * reconnecting after a dropped connection.
   *
   * @return that status, or null when the thread was interrupted first
   */
  SipStatus follow(long after, Set<StatusType> until) {
    long last = after;
    while (!Thread.currentThread().isInterrupted()) {
      Iterator<WatchEvent> events =
          LinesGrpc.newBlockingStub(client.channel())
              .watchStatus(WatchStatusRequest.newBuilder().setAfterSeq(last).build());
      try {
        while (events.hasNext()) {
          WatchEvent e = events.next();
          if (e.hasGap()) {
            err.println("sipline ctl: " + e.getGap().getReason());
            err.flush();
          } else if (e.hasStatus()) {
            last = e.getStatus().getSeq();
            printer.print(e.getStatus().getStatus());
            if (until.contains(e.getStatus().getStatus().getStatusType())) {
              return e.getStatus().getStatus();
            }
          }
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        // The connection dropped: resume from the last status printed.
      }
      try {
        TimeUnit.MILLISECONDS.sleep(retry.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return null;
  }
}
