package org.sipline.server.ctl;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipTransferCallRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sipline ctl}: one subcommand per ondewo.sip rpc, plus {@code watch}, and the live media
 * commands {@code listen}, {@code say} and {@code dtmf} (sipline.media.v1). Each prints the status
 * the server answered and exits with a code a script can test ({@link CtlExit}).
 */
@Command(
    name = "ctl",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Drive a sipline server (or any ondewo.sip server) from the shell.",
      "Exit codes: 0 done; 1 refused: the server answered a gRPC error, or NO_SESSION /",
      "NO_ONGOING_CALL to a command that needs a session or a call, or (--wait) the",
      "call or transfer failed; 2 usage error; 3 server unreachable."
    },
    subcommands = {
      SessionCommand.class,
      WatchCommand.class,
      ListenCommand.class,
      SayCommand.class,
      DtmfCommand.class
    })
public final class CtlCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Spec CommandSpec spec;

  /** {@code sipline ctl} alone: show what it can do. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CtlExit.USAGE.code();
  }

  @Command(name = "register", description = "Register a SIP account (SipRegisterAccount).")
  int register(
      @Parameters(paramLabel = "ACCOUNT", description = "user@domain[:port]") String account,
      @Option(
              names = "--password",
              defaultValue = "${env:SIPLINE_PASSWORD}",
              description = "Digest password. Env: SIPLINE_PASSWORD.")
          String password,
      @Option(
              names = "--password-file",
              paramLabel = "FILE",
              description = "Read the password from the first line of FILE.")
          Path passwordFile,
      @Option(names = "--auth-user", description = "Digest user name, if not the account's user.")
          String authUser,
      @Option(
              names = "--proxy",
              paramLabel = "URI",
              description = "Outbound proxy, e.g. sip:10.0.0.1:5060.")
          String proxy) {
    String secret = password;
    if (passwordFile != null) {
      try {
        List<String> lines = Files.readAllLines(passwordFile);
        secret = lines.isEmpty() ? "" : lines.get(0);
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--password-file: " + passwordFile + " cannot be read: " + e.getMessage());
      }
    }
    SipRegisterAccountRequest request =
        SipRegisterAccountRequest.newBuilder()
            .setAccountName(account)
            .setPassword(secret == null ? "" : secret)
            .setAuthUsername(authUser == null ? "" : authUser)
            .setOutboundProxy(proxy == null ? "" : proxy)
            .build();
    return connection.unary(false, sip -> sip.sipRegisterAccount(request));
  }

  @Command(name = "call", description = "Place a call from the active session (SipStartCall).")
  int call(
      @Parameters(
              paramLabel = "CALLEE",
              description = "user, user@host[:port], sip:/sips:/tel: URI or phone number")
          String callee,
      @Option(
              names = {"-H", "--header"},
              paramLabel = "NAME=VALUE",
              description = "Extra SIP header of the INVITE; repeatable.")
          Map<String, String> headers,
      @Option(
              names = "--wait",
              description =
                  "Then print the call's progress until it is "
                      + "answered (exit 0) or has failed (exit 1).")
          boolean wait) {
    SipStartCallRequest request =
        SipStartCallRequest.newBuilder()
            .setCalleeId(callee)
            .putAllHeaders(orEmpty(headers))
            .build();
    return connection.unaryThenWait(sip -> sip.sipStartCall(request), wait ? Outcome.CALL : null);
  }

  @Command(name = "hangup", description = "End the ongoing call (SipEndCall).")
  int hangup(
      @Option(
              names = "--hard",
              description =
                  "Tear down at once instead of waiting for the BYE "
                      + "(or CANCEL) to be answered.")
          boolean hard) {
    SipEndCallRequest request = SipEndCallRequest.newBuilder().setHardHangup(hard).build();
    return connection.unary(true, sip -> sip.sipEndCall(request));
  }

  @Command(name = "transfer", description = "Blind-transfer the ongoing call (SipTransferCall).")
  int transfer(
      @Parameters(paramLabel = "TARGET", description = "Refer-To target (as for call)")
          String target,
      @Option(
              names = {"-H", "--header"},
              paramLabel = "NAME=VALUE",
              description = "Extra SIP header of the REFER; repeatable.")
          Map<String, String> headers,
      @Option(
              names = "--wait",
              description =
                  "Then print the transfer's progress until the call "
                      + "has been handed over (exit 0) or the transfer failed (exit 1).")
          boolean wait) {
    SipTransferCallRequest request =
        SipTransferCallRequest.newBuilder()
            .setTransferId(target)
            .putAllHeaders(orEmpty(headers))
            .build();
    return connection.unaryThenWait(
        sip -> sip.sipTransferCall(request), wait ? Outcome.TRANSFER : null);
  }

  @Command(
      name = "play",
      description = {
        "Play WAV files into the call, one after the other, and wait until played",
        "(SipPlayWavFiles). No deadline unless --timeout is given; Ctrl-C stops the",
        "playback of these files (barge-in)."
      })
  int play(
      @Parameters(paramLabel = "FILE", arity = "1..*", description = "WAV file") List<Path> files) {
    SipPlayWavFilesRequest.Builder request = SipPlayWavFilesRequest.newBuilder();
    for (Path f : files) {
      try {
        request.addWavFiles(ByteString.readFrom(Files.newInputStream(f)));
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), f + " cannot be read: " + e.getMessage());
      }
    }
    SipPlayWavFilesRequest built = request.build();
    return connection.unaryWithoutDefaultDeadline(sip -> sip.sipPlayWavFiles(built));
  }

  @Command(name = "mute", description = "Send silence instead of the call's audio (SipMute).")
  int mute() {
    return connection.unary(true, sip -> sip.sipMute(Empty.getDefaultInstance()));
  }

  @Command(name = "unmute", description = "Send the call's audio again (SipUnMute).")
  int unmute() {
    return connection.unary(true, sip -> sip.sipUnMute(Empty.getDefaultInstance()));
  }

  @Command(name = "status", description = "Print the line's latest status (SipGetSipStatus).")
  int status() {
    return connection.unary(false, sip -> sip.sipGetSipStatus(Empty.getDefaultInstance()));
  }

  @Command(
      name = "history",
      description =
          "Print every status the line went through, oldest first " + "(SipGetSipStatusHistory).")
  int history() {
    return connection.history();
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : new LinkedHashMap<>(m);
  }

  /** Statuses that say a call-scoped command did nothing. */
  static boolean isRefusal(SipStatus status) {
    return status.getStatusType() == SipStatus.StatusType.NO_SESSION
        || status.getStatusType() == SipStatus.StatusType.NO_ONGOING_CALL;
  }

  /**
   * The deadline of each request unless {@code --timeout} says otherwise: longer than the server's
   * own bounds on a soft hangup and an un-REGISTER, so its answer arrives before the deadline.
   */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
}
