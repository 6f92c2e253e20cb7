package org.sipline.server.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.api.sip.SipTransferCallRequest;
import org.sipline.server.Main;
import picocli.CommandLine;

/** Each {@code sipline ctl} subcommand against a recording server: request sent, output, exit. */
class CtlCommandTest {
  private final RecordingSip sip = new RecordingSip();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Server server;
  private String target;

  @TempDir Path dir;

  @BeforeEach
  void startServer() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(sip, sip))
            .build()
            .start();
    target = "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  private int ctl(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "ctl";
    all[1] = "--target";
    all[2] = target;
    System.arraycopy(args, 0, all, 3, args.length);
    return cl.execute(all);
  }

  /** {@code sipline ctl ARGS}, with nothing added: the test places --target itself. */
  private int ctlAsTyped(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "ctl";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  private static SipStatus status(StatusType type, long seconds, String description) {
    return SipStatus.newBuilder()
        .setStatusType(type)
        .setAccountName("alice@example.org")
        .setTimestamp(Timestamp.newBuilder().setSeconds(seconds))
        .setDescription(description)
        .build();
  }

  @Test
  void registerSendsEveryFieldAndPrintsTheAnswer() {
    sip.answer = status(StatusType.REGISTERED, 0, "REGISTER 200 OK");
    int code =
        ctl(
            "register",
            "alice@example.org",
            "--password",
            "pw",
            "--auth-user",
            "al",
            "--proxy",
            "sip:127.0.0.1:5080");
    assertThat(code).isZero();
    assertThat(sip.requests)
        .containsExactly(
            SipRegisterAccountRequest.newBuilder()
                .setAccountName("alice@example.org")
                .setPassword("pw")
                .setAuthUsername("al")
                .setOutboundProxy("sip:127.0.0.1:5080")
                .build());
    assertThat(out.toString())
        .isEqualTo(
            "1970-01-01T00:00:00Z REGISTERED account=alice@example.org - REGISTER 200 OK"
                + System.lineSeparator());
  }

  @Test
  void registerReadsThePasswordFromAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from-file\nignored\n");
    assertThat(ctl("register", "alice@example.org", "--password-file", file.toString())).isZero();
    assertThat(((SipRegisterAccountRequest) sip.requests.get(0)).getPassword())
        .isEqualTo("from-file");
  }

  @Test
  void sessionStartAndEnd() {
    assertThat(ctl("session", "start", "alice@example.org", "--auto-answer", "3")).isZero();
    assertThat(ctl("session", "end")).isZero();
    assertThat(sip.requests)
        .containsExactly(
            SipStartSessionRequest.newBuilder()
                .setAccountName("alice@example.org")
                .setAutoAnswerInterval(3)
                .build(),
            Empty.getDefaultInstance());
  }

  @Test
  void callSendsHeadersAndJsonPrintsOneParsableLine() throws Exception {
    sip.answer = status(StatusType.OUTGOING_CALL_INITIATED, 5, "INVITE sent");
    int code = ctl("--json", "call", "bob@example.org", "-H", "X-Bot=1", "-H", "X-Lang=de");
    assertThat(code).isZero();
    assertThat(sip.requests)
        .containsExactly(
            SipStartCallRequest.newBuilder()
                .setCalleeId("bob@example.org")
                .putAllHeaders(Map.of("X-Bot", "1", "X-Lang", "de"))
                .build());
    String[] lines = out.toString().split("\\R");
    assertThat(lines).hasSize(1);
    SipStatus.Builder parsed = SipStatus.newBuilder();
    JsonFormat.parser().merge(lines[0], parsed);
    assertThat(parsed.build()).isEqualTo(sip.answer);
  }

  @Test
  void hangupTransferMuteUnmuteSendTheirRequests() {
    sip.answer = status(StatusType.READY, 0, "");
    assertThat(ctl("hangup", "--hard")).isZero();
    assertThat(ctl("hangup")).isZero();
    assertThat(ctl("transfer", "carol@example.org", "-H", "X-Why=human")).isZero();
    assertThat(ctl("mute")).isZero();
    assertThat(ctl("unmute")).isZero();
    assertThat(ctl("status")).isZero();
    assertThat(sip.requests)
        .containsExactly(
            SipEndCallRequest.newBuilder().setHardHangup(true).build(),
            SipEndCallRequest.newBuilder().setHardHangup(false).build(),
            SipTransferCallRequest.newBuilder()
                .setTransferId("carol@example.org")
                .putHeaders("X-Why", "human")
                .build(),
            Empty.getDefaultInstance(),
            Empty.getDefaultInstance(),
            Empty.getDefaultInstance());
  }

  @Test
  void playSendsTheFilesInOrder() throws Exception {
    Path a = Files.write(dir.resolve("a.wav"), new byte[] {1, 2, 3});
    Path b = Files.write(dir.resolve("b.wav"), new byte[] {4});
    sip.answer = status(StatusType.MICROPHONE_WAV_FILES_PLAYED, 0, "");
    assertThat(ctl("play", a.toString(), b.toString())).isZero();
    assertThat(sip.requests)
        .containsExactly(
            SipPlayWavFilesRequest.newBuilder()
                .addWavFiles(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .addWavFiles(ByteString.copyFrom(new byte[] {4}))
                .build());
  }

  @Test
  void playOfAMissingFileIsAUsageErrorAndSendsNothing() {
    assertThat(ctl("play", dir.resolve("missing.wav").toString())).isEqualTo(2);
    assertThat(sip.requests).isEmpty();
    assertThat(err.toString()).contains("missing.wav cannot be read");
  }

  @Test
  void aCallScopedCommandAnsweredWithoutCallExitsOne() {
    sip.answer = status(StatusType.NO_ONGOING_CALL, 0, "no call: SipStartCall first");
    assertThat(ctl("mute")).isEqualTo(1);
    assertThat(out.toString()).contains("NO_ONGOING_CALL");
  }

  @Test
  void statusAnsweredNoSessionIsSuccess() {
    sip.answer = status(StatusType.NO_SESSION, 0, "");
    assertThat(ctl("status")).isZero();
  }

  @Test
  void aGrpcErrorExitsOneAndSaysWhy() {
    sip.error = Status.INVALID_ARGUMENT.withDescription("callee_id: empty").asRuntimeException();
    assertThat(ctl("call", "")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "sipline ctl: refused: INVALID_ARGUMENT: callee_id: empty" + System.lineSeparator());
  }

  @Test
  void anUnreachableServerExitsThree() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      target = "127.0.0.1:" + s.getLocalPort();
    }
    assertThat(ctl("status")).isEqualTo(3);
    assertThat(err.toString()).startsWith("sipline ctl: cannot reach " + target + ": ");
  }

  @Test
  void theTokenGoesAsBearerAuthorization() {
    assertThat(ctl("--token", "t0k3n", "status")).isZero();
    assertThat(sip.authorizations).containsExactly("Bearer t0k3n");
  }

  @Test
  void historyPrintsEveryStatusOldestFirst() {
    sip.histories.add(
        List.of(
            status(StatusType.REGISTERED, 1, ""),
            status(StatusType.SESSION_STARTED, 2, ""),
            status(StatusType.READY, 3, "")));
    assertThat(ctl("history")).isZero();
    assertThat(out.toString().split("\\R"))
        .extracting(l -> l.split(" ")[1])
        .containsExactly("REGISTERED", "SESSION_STARTED", "READY");
  }

  @Test
  void watchPrintsTheLatestThenEachNewStatusUntilTheAwaitedOne() {
    SipStatus registered = status(StatusType.REGISTERED, 1, "");
    SipStatus started = status(StatusType.SESSION_STARTED, 2, "");
    SipStatus ready = status(StatusType.READY, 3, "");
    SipStatus initiated = status(StatusType.OUTGOING_CALL_INITIATED, 4, "");
    SipStatus connected = status(StatusType.OUTGOING_CALL_CONNECTED, 5, "");
    sip.histories.add(List.of(registered, started));
    sip.histories.add(List.of(registered, started));
    sip.histories.add(List.of(registered, started, ready, initiated));
    sip.histories.add(
        List.of(
            registered,
            started,
            ready,
            initiated,
            connected,
            status(StatusType.MICROPHONE_MUTED, 6, "")));
    int code = ctl("watch", "--interval", "1ms", "--until", "OUTGOING_CALL_CONNECTED");
    assertThat(code).isZero();
    assertThat(out.toString().split("\\R"))
        .extracting(l -> l.split(" ")[1])
        .containsExactly(
            "SESSION_STARTED", "READY", "OUTGOING_CALL_INITIATED", "OUTGOING_CALL_CONNECTED");
  }

  @Test
  void callWaitPrintsTheProgressAndExitsZeroOnceAnswered() {
    SipStatus ready = status(StatusType.READY, 1, "");
    SipStatus initiated = status(StatusType.OUTGOING_CALL_INITIATED, 2, "INVITE sent");
    sip.answer = initiated;
    sip.histories.add(List.of(ready, initiated));
    sip.histories.add(
        List.of(
            ready,
            initiated,
            status(StatusType.OUTGOING_CALL_CONNECTED, 3, ""),
            status(StatusType.MICROPHONE_MUTED, 4, "")));
    assertThat(ctl("call", "bob", "--wait")).isZero();
    assertThat(out.toString().split("\\R"))
        .extracting(l -> l.split(" ")[1])
        .containsExactly("OUTGOING_CALL_INITIATED", "OUTGOING_CALL_CONNECTED");
  }

  @Test
  void callWaitExitsOneWhenTheCallFails() {
    SipStatus initiated = status(StatusType.OUTGOING_CALL_INITIATED, 2, "INVITE sent");
    sip.answer = initiated;
    sip.histories.add(
        List.of(
            initiated,
            status(StatusType.OUTGOING_CALL_FAILED, 3, "486 Busy Here"),
            status(StatusType.READY, 3, "")));
    assertThat(ctl("call", "bob", "--wait")).isEqualTo(1);
    assertThat(out.toString())
        .contains("OUTGOING_CALL_FAILED", "486 Busy Here")
        .doesNotContain("READY");
  }

  @Test
  void transferWaitExitsZeroOnceTheCallIsHandedOverAndOneWhenItFails() {
    SipStatus initiated = status(StatusType.TRANSFER_CALL_INITIATED, 2, "REFER sent");
    sip.answer = initiated;
    sip.histories.add(List.of(initiated, status(StatusType.OUTGOING_CALL_FINISHED, 3, "")));
    assertThat(ctl("transfer", "carol", "--wait")).isZero();

    sip.histories.clear();
    sip.histories.add(List.of(initiated, status(StatusType.TRANSFER_CALL_FAILED, 3, "603")));
    assertThat(ctl("transfer", "carol", "--wait")).isEqualTo(1);
  }

  @Test
  void ctlsOwnOptionsWorkAfterTheCommandToo() throws Exception {
    sip.histories.add(List.of(status(StatusType.REGISTERED, 1, "")));
    assertThat(ctlAsTyped("history", "--json", "--target", target)).isZero();
    String[] lines = out.toString().split("\\R");
    assertThat(lines).hasSize(1);
    SipStatus.Builder parsed = SipStatus.newBuilder();
    JsonFormat.parser().merge(lines[0], parsed);
    assertThat(parsed.getStatusType()).isEqualTo(StatusType.REGISTERED);

    sip.answer = status(StatusType.REGISTERED, 0, "");
    assertThat(
            ctlAsTyped(
                "register",
                "alice@example.org",
                "--timeout",
                "5s",
                "--target",
                target,
                "--token",
                "t1"))
        .isZero();
    assertThat(sip.authorizations).containsExactly("", "Bearer t1");
  }

  @Test
  void ctlsOwnOptionsWorkInNestedCommandsAndMixedPositions() {
    assertThat(ctlAsTyped("--target", target, "session", "start", "a@example.org", "--token", "x"))
        .isZero();
    assertThat(ctlAsTyped("session", "--token", "y", "end", "--target", target)).isZero();
    assertThat(sip.authorizations).containsExactly("Bearer x", "Bearer y");
  }

  @Test
  void anOptionGivenBeforeTheCommandIsNotResetByTheCommandsDefaults() {
    // The inherited --target has a default; parsing `status` must not put it back.
    assertThat(ctlAsTyped("--target", target, "--token", "z", "status")).isZero();
    assertThat(sip.authorizations).containsExactly("Bearer z");
  }
}
