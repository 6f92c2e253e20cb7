package org.sipline.server.ctl;

import com.google.protobuf.Empty;
import java.util.concurrent.Callable;
import org.sipline.api.sip.SipStartSessionRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sipline ctl session start|end}. */
@Command(
    name = "session",
    mixinStandardHelpOptions = true,
    description = "Start or end the line's session.")
final class SessionCommand implements Callable<Integer> {
  @ParentCommand CtlCommand ctl;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CtlExit.USAGE.code();
  }

  @Command(
      name = "start",
      description = {
        "Make a registered account the line's session (SipStartSession): from now on",
        "calls can be placed, and incoming calls are answered after the interval."
      })
  int start(
      @Parameters(paramLabel = "ACCOUNT", description = "A registered account, user@domain")
          String account,
      @Option(
              names = "--auto-answer",
              paramLabel = "SECONDS",
              defaultValue = "0",
              description = "Answer incoming calls after this many seconds.")
          int autoAnswer) {
    SipStartSessionRequest request =
        SipStartSessionRequest.newBuilder()
            .setAccountName(account)
            .setAutoAnswerInterval(autoAnswer)
            .build();
    return ctl.connection.unary(false, sip -> sip.sipStartSession(request));
  }

  @Command(
      name = "end",
      description = "Hang up any call, un-register, end the session (SipEndSession).")
  int end() {
    return ctl.connection.unary(false, sip -> sip.sipEndSession(Empty.getDefaultInstance()));
  }
}
