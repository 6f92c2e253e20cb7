package org.sipline.server.ctl;

import com.google.protobuf.Empty;
import com.google.protobuf.util.Timestamps;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sipline ctl watch}: prints each status the line records, as it happens. ondewo.sip has
 * no stream, so this polls the history and prints what is new since the last status it printed.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {
        "Print the line's latest status, then every new one as it happens, until",
        "interrupted (Ctrl-C) or a status named by --until arrives."})
final class WatchCommand implements Callable<Integer> {
  @ParentCommand
  CtlCommand ctl;

  @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "250ms", description = "How often to ask the server.")
  Duration interval;

  @Option(names = "--all", description = "Print the whole history first, not just the latest.")
  boolean all;

  @Option(names = "--until", paramLabel = "TYPE", split = ",",
      description = "Exit (0) once a status of one of these types is printed, "
          + "e.g. --until OUTGOING_CALL_CONNECTED,OUTGOING_CALL_FAILED.")
  Set<StatusType> until = EnumSet.noneOf(StatusType.class);

  @Override
  public Integer call() {
    Connection connection = ctl.connection;
    Printer printer = connection.printer();
    Duration deadline = connection.timeoutOr(CtlCommand.DEFAULT_TIMEOUT);
    return connection.run(client -> {
      SipStatus last = null;
      boolean first = true;
      while (!Thread.currentThread().isInterrupted()) {
        List<SipStatus> history = client.sip(deadline)
            .sipGetSipStatusHistory(Empty.getDefaultInstance()).getStatusHistoryList();
        List<SipStatus> fresh = first && !all
            ? history.subList(Math.max(0, history.size() - 1), history.size())
            : after(history, last);
        first = false;
        for (SipStatus s : fresh) {
          printer.print(s);
          last = s;
          if (until.contains(s.getStatusType())) {
            return CtlExit.OK;
          }
        }
        try {
          TimeUnit.MILLISECONDS.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return CtlExit.OK;
    });
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
