package org.sipline.server.ctl;

import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.DtmfSent;
import org.sipline.api.media.v1.Open;
import org.sipline.api.media.v1.SendDtmf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sipline ctl dtmf DIGITS}: sends DTMF into the call in progress and waits until sent. */
@Command(
    name = "dtmf",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Send DTMF digits (0-9 * # A-D) into the call in progress through a Converse stream:",
      "RFC 4733 events in the call's RTP when negotiated, SIP INFO otherwise. Prints each",
      "digit once it has been sent, or why it was not (the SIP response that refused it;",
      "the digits after a failed one are not sent). Exit 0 when all were sent; 1 when one",
      "was not, the request was refused, or the call ended first."
    })
final class DtmfCommand implements Callable<Integer> {
  @ParentCommand CtlCommand ctl;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIGITS", description = "e.g. 123#")
  String digits;

  @Option(
      names = "--duration",
      paramLabel = "MS",
      defaultValue = "100",
      description = "How long each digit is held (40 to 2000).")
  int durationMs;

  @Option(
      names = "--gap",
      paramLabel = "MS",
      defaultValue = "70",
      description = "Silence between digits (40 to 2000).")
  int gapMs;

  @Override
  public Integer call() {
    Connection connection = ctl.connection;
    PrintWriter out = spec.commandLine().getOut();
    Duration deadline = connection.timeoutOr(CtlCommand.DEFAULT_TIMEOUT);
    return connection.run(
        client -> {
          EventInbox<ConverseRequest> inbox = new EventInbox<>();
          Interruption ctrlC = new Interruption(inbox);
          try {
            StreamObserver<ConverseRequest> requests = client.media().converse(inbox);
            requests.onNext(
                ConverseRequest.newBuilder()
                    .setOpen(Open.newBuilder().setCall(CallSelector.CURRENT))
                    .build());
            requests.onNext(
                ConverseRequest.newBuilder()
                    .setSendDtmf(
                        SendDtmf.newBuilder()
                            .setDigits(digits)
                            .setDurationMs(durationMs)
                            .setGapMs(gapMs))
                    .build());
            Instant end = Instant.now().plus(deadline);
            int done = 0;
            int failed = 0;
            while (done < digits.length()) {
              Object item = inbox.take(Duration.between(Instant.now(), end));
              if (item == null) {
                inbox.cancel("timed out");
                spec.commandLine()
                    .getErr()
                    .printf(
                        "sipline ctl: %d of %d digits sent within %s%n",
                        done, digits.length(), deadline);
                return CtlExit.REFUSED;
              }
              if (item instanceof EventInbox.Stop) {
                inbox.cancel("stopped by the user");
                return CtlExit.REFUSED;
              }
              if (item instanceof EventInbox.Ended e) {
                if (e.status().isOk()) {
                  out.printf("the call ended after %d of %d digits%n", done, digits.length());
                  return CtlExit.REFUSED;
                }
                return connection.refused(e.status().asRuntimeException());
              }
              if (item instanceof ConverseEvent event
                  && event.getKindCase() == ConverseEvent.KindCase.DTMF_SENT) {
                DtmfSent d = event.getDtmfSent();
                if (d.getFailure().isEmpty()) {
                  out.printf(
                      "sent %s (%d ms, %s)%n", d.getDigit(), d.getDurationMs(), d.getMethod());
                } else {
                  failed++;
                  out.printf("not sent %s: %s%n", d.getDigit(), d.getFailure());
                }
                out.flush();
                done++;
              }
            }
            // Half-close: the server ends the stream at once, not after a grace period.
            requests.onCompleted();
            awaitEnd(inbox);
            return failed == 0 ? CtlExit.OK : CtlExit.REFUSED;
          } finally {
            ctrlC.close();
          }
        });
  }

  private static void awaitEnd(EventInbox<ConverseRequest> inbox) {
    Object item;
    do {
      item = inbox.take(Duration.ofSeconds(2));
    } while (item != null && !(item instanceof EventInbox.Ended));
  }
}
