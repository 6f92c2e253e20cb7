package org.sipline.server.ctl;

import com.google.protobuf.Empty;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.sipline.api.sip.SipGrpc.SipBlockingStub;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatusHistoryResponse;
import org.sipline.server.DurationConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * How {@code sipline ctl} reaches the server and prints what it answers; shared by every
 * subcommand. Turns gRPC outcomes into {@link CtlExit} codes in this one place.
 */
final class Connection {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** How often {@code --wait} asks for the history. */
  private static final Duration WAIT_POLL_INTERVAL = Duration.ofMillis(100);

  @Option(
      scope = ScopeType.INHERIT,
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:SIPLINE_TARGET:-localhost:50099}",
      description = "The server. Env: SIPLINE_TARGET.")
  String target;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:SIPLINE_TOKEN}",
      description = "Send 'authorization: Bearer <token>'. Env: SIPLINE_TOKEN.")
  String token;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--tls",
      description = "Use TLS (implied by --ca, --cert).")
  boolean tls;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--ca",
      paramLabel = "PEM",
      description = "Trust these CA certificates instead of the system's.")
  Path ca;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--cert",
      paramLabel = "PEM",
      description = "Client certificate chain for mutual TLS (with --key).")
  Path cert;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--key",
      paramLabel = "PEM",
      description = "PKCS#8 key of --cert.")
  Path key;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--json",
      description = "Print statuses as JSON, one object per line.")
  boolean json;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Deadline of each request (default 60s; play: none).")
  Duration timeout;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** What a command does with the server; may throw {@link StatusRuntimeException}. */
  interface Rpc<T> {
    T call(SipBlockingStub sip);
  }

  /**
   * Sends one request with the default deadline and prints the status it answers.
   *
   * @param callScoped whether NO_SESSION / NO_ONGOING_CALL means the command was refused
   */
  int unary(boolean callScoped, Rpc<SipStatus> rpc) {
    return send(callScoped, timeoutOr(CtlCommand.DEFAULT_TIMEOUT), rpc, null);
  }

  /**
   * Like {@link #unary} for a call-scoped request that starts something; with {@code wait}
   * non-null, then prints the line's statuses until {@code wait} is settled.
   */
  int unaryThenWait(Rpc<SipStatus> rpc, Outcome wait) {
    return send(true, timeoutOr(CtlCommand.DEFAULT_TIMEOUT), rpc, wait);
  }

  /** Like {@link #unary} for a call-scoped request that may take as long as it takes. */
  int unaryWithoutDefaultDeadline(Rpc<SipStatus> rpc) {
    return send(true, timeout, rpc, null);
  }

  int history() {
    return run(
        client -> {
          SipStatusHistoryResponse history =
              client
                  .sip(timeoutOr(CtlCommand.DEFAULT_TIMEOUT))
                  .sipGetSipStatusHistory(Empty.getDefaultInstance());
          printer().printAll(history.getStatusHistoryList());
          return CtlExit.OK;
        });
  }

  /** Opens a client, runs {@code body}, maps gRPC failures to exit codes, closes the client. */
  int run(Function<SipClient, CtlExit> body) {
    try (SipClient client = open()) {
      return body.apply(client).code();
    } catch (StatusRuntimeException e) {
      return refused(e).code();
    }
  }

  Duration timeoutOr(Duration fallback) {
    return timeout != null ? timeout : fallback;
  }

  Printer printer() {
    return new Printer(spec.commandLine().getOut(), json);
  }

  /** Reports a gRPC failure on standard error and says what it means for the exit code. */
  CtlExit refused(StatusRuntimeException e) {
    Status s = e.getStatus();
    if (s.getCode() == Status.Code.UNAVAILABLE) {
      String why =
          s.getCause() != null && s.getCause().getMessage() != null
              ? s.getCause().getMessage()
              : String.valueOf(s.getDescription());
      spec.commandLine().getErr().println("sipline ctl: cannot reach " + target + ": " + why);
      return CtlExit.UNREACHABLE;
    }
    spec.commandLine()
        .getErr()
        .println(
            "sipline ctl: refused: "
                + s.getCode()
                + (s.getDescription() == null ? "" : ": " + s.getDescription()));
    return CtlExit.REFUSED;
  }

  private int send(boolean callScoped, Duration deadline, Rpc<SipStatus> rpc, Outcome wait) {
    return run(
        client -> {
          SipStatus status = rpc.call(client.sip(deadline));
          Printer printer = printer();
          printer.print(status);
          if (callScoped && CtlCommand.isRefusal(status)) {
            return CtlExit.REFUSED;
          }
          if (wait == null) {
            return CtlExit.OK;
          }
          SipStatus settled =
              new HistoryFollower(
                      client, timeoutOr(CtlCommand.DEFAULT_TIMEOUT), WAIT_POLL_INTERVAL, printer)
                  .follow(status, wait.all());
          return settled != null && wait.success().contains(settled.getStatusType())
              ? CtlExit.OK
              : CtlExit.REFUSED;
        });
  }

  private SipClient open() {
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials());
    if (token != null && !token.isBlank()) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + token.strip());
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    // Play requests carry whole WAV files; the answer is small, but history can be long.
    builder.maxInboundMessageSize(64 * 1024 * 1024);
    return new SipClient(builder.build());
  }

  private ChannelCredentials credentials() {
    if (!tls && ca == null && cert == null) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    try {
      if (ca != null) {
        b.trustManager(ca.toFile());
      }
      if (cert != null || key != null) {
        if (cert == null || key == null) {
          throw new ParameterException(spec.commandLine(), "--cert and --key go together");
        }
        b.keyManager(cert.toFile(), key.toFile());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "TLS files cannot be used: " + e.getMessage());
    }
    return b.build();
  }
}
