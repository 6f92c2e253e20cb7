package org.sipline.server.ctl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sipline ctl watch}: prints each status the line records, as it happens. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Print the line's latest status, then every new one as it happens, until",
      "interrupted (Ctrl-C) or a status named by --until arrives. Uses sipline.lines.v1",
      "WatchStatus (resumed after a dropped connection, nothing printed twice); polls",
      "SipGetSipStatusHistory every --interval on servers without it."
    })
final class WatchCommand implements Callable<Integer> {
  @ParentCommand CtlCommand ctl;

  @Spec CommandSpec spec;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "250ms",
      description =
          "How often to ask a server without WatchStatus; how long to wait before resuming a "
              + "dropped watch.")
  Duration interval;

  @Option(names = "--all", description = "Print the whole history first, not just the latest.")
  boolean all;

  @Option(
      names = "--until",
      paramLabel = "TYPE",
      split = ",",
      description =
          "Exit (0) once a status of one of these types is printed, "
              + "e.g. --until OUTGOING_CALL_CONNECTED,OUTGOING_CALL_FAILED.")
  Set<StatusType> until = EnumSet.noneOf(StatusType.class);

  @Override
  public Integer call() {
    Connection connection = ctl.connection;
    Printer printer = connection.printer();
    return connection.run(
        client -> {
          StatusStream stream =
              new StatusStream(
                  client,
                  connection.timeoutOr(CtlCommand.DEFAULT_TIMEOUT),
                  interval,
                  printer,
                  spec.commandLine().getErr());
          long newest;
          try {
            newest = stream.newest();
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
              throw e;
            }
            return poll(client, printer); // a server without sipline.lines.v1
          }
          // --all: everything the history holds; else from the latest entry on.
          stream.follow(all ? 0 : Math.max(0, newest - 1), until);
          return CtlExit.OK;
        });
  }

  /** Polls SipGetSipStatusHistory every --interval: for servers without WatchStatus. */
  private CtlExit poll(SipClient client, Printer printer) {
    HistoryFollower follower =
        new HistoryFollower(
            client, ctl.connection.timeoutOr(CtlCommand.DEFAULT_TIMEOUT), interval, printer);
    List<SipStatus> history = follower.history();
    List<SipStatus> first =
        all || history.isEmpty() ? history : history.subList(history.size() - 1, history.size());
    SipStatus last = null;
    for (SipStatus s : first) {
      printer.print(s);
      last = s;
      if (until.contains(s.getStatusType())) {
        return CtlExit.OK;
      }
    }
    follower.follow(last, until);
    return CtlExit.OK;
  }
}
