package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.peers.FreePorts;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * The jar with three named lines against Kamailio: a client with no metadata drives the default
 * line, a second drives {@code line-7} by header, a third reaches {@code line-5} by its own port
 * (whose account the lines file registered at boot); their histories stay apart, an unknown line is
 * NOT_FOUND, and SIGTERM un-registers every line. A bad lines file stops the start with 2.
 */
class ManyLinesIT {
  private static final Duration WAIT = LineClient.WAIT;
  private static final Metadata.Key<String> LINE =
      Metadata.Key.of("x-sipline-line", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;

  private Kamailio kamailio;
  private SiplineProcess sipline;
  private ManagedChannel portChannel;

  @AfterEach
  void stop() {
    if (portChannel != null) {
      portChannel.shutdownNow();
    }
    if (sipline != null) {
      sipline.close();
    }
    if (kamailio != null) {
      kamailio.close();
    }
  }

  @Test
  void defaultHeaderAndPortClientsDriveTheirOwnLines() throws Exception {
    kamailio =
        Kamailio.start(
            KamailioOptions.defaults()
                .withUser("alice", "alice-pw")
                .withUser("bob", "bob-pw")
                .withUser("carol", "carol-pw"));
    Files.writeString(dir.resolve("carol.pw"), "carol-pw\n");
    Path linesFile = dir.resolve("lines.txt");
    Files.write(
        linesFile,
        List.of(
            "# default line first",
            "line-0",
            "line-5 account=carol@" + kamailio.hostPort() + " password-file=carol.pw",
            "line-7"));
    int base = FreePorts.sipPorts(3);
    sipline =
        SiplineProcess.start(
            dir,
            "--backend",
            "jainsip",
            "--lines-file",
            linesFile.toString(),
            "--line-ports",
            String.valueOf(base));
    portChannel =
        Grpc.newChannelBuilder("127.0.0.1:" + (base + 1), InsecureChannelCredentials.create())
            .build();

    LineClient plain = new LineClient(sipline::sip);
    LineClient byHeader = new LineClient(() -> onLine(sipline.sip(), "line-7"));
    LineClient byPort =
        new LineClient(
            () -> SipGrpc.newBlockingStub(portChannel).withDeadlineAfter(30, TimeUnit.SECONDS));
    String alice = "alice@" + kamailio.hostPort();
    String bob = "bob@" + kamailio.hostPort();

    assertThat(plain.register(alice, "alice-pw").getStatusType()).isEqualTo(StatusType.REGISTERED);
    assertThat(byHeader.register(bob, "bob-pw").getStatusType()).isEqualTo(StatusType.REGISTERED);
    assertThat(plain.startSession(alice).getStatusType()).isEqualTo(StatusType.SESSION_STARTED);
    kamailio.awaitRegistered("alice", WAIT);
    kamailio.awaitRegistered("bob", WAIT);
    kamailio.awaitRegistered("carol", WAIT);
    byPort.awaitAfter(0, StatusType.READY);

    assertThat(accounts(plain.history())).containsOnly(alice);
    assertThat(accounts(byHeader.history())).containsOnly(bob);
    assertThat(accounts(byPort.history())).containsOnly("carol@" + kamailio.hostPort());
    assertThat(types(byPort.history()))
        .containsSubsequence(StatusType.REGISTERED, StatusType.SESSION_STARTED, StatusType.READY);
    assertThat(types(byHeader.history())).doesNotContain(StatusType.SESSION_STARTED);

    assertThatThrownBy(
            () -> onLine(sipline.sip(), "line-9").sipGetSipStatus(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'line-9'");
            });

    Duration exit = sipline.terminate(Duration.ofSeconds(10));
    assertThat(exit).as("exited after SIGTERM").isNotNull().isLessThan(Duration.ofSeconds(5));
    kamailio.awaitUnregistered("alice", WAIT);
    kamailio.awaitUnregistered("bob", WAIT);
    kamailio.awaitUnregistered("carol", WAIT);
  }

  @Test
  void aBadLinesFileExitsTwoNamingTheLineAndTheField() throws Exception {
    Path duplicate = dir.resolve("dup.txt");
    Files.write(duplicate, List.of("a", "b", "a"));
    Cli.Result result = Cli.run(dir, "--lines-file", duplicate.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--lines-file: ", ":3, line 'a': name: duplicate");

    Path noPassword = dir.resolve("nopw.txt");
    Files.write(noPassword, List.of("b account=bob@127.0.0.1 password-file=gone.pw"));
    result = Cli.run(dir, "--lines-file", noPassword.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("line 'b': password-file: ");

    Path badAccount = dir.resolve("bad.txt");
    Files.write(badAccount, List.of("c account=@nohost"));
    result = Cli.run(dir, "--lines-file", badAccount.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("line 'c': account: ");

    result = Cli.run(dir, "--lines", "3", "--grpc-port", "40001", "--line-ports", "40000");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--line-ports: 40000-40002 collides with --grpc-port 40001");
  }

  private static SipGrpc.SipBlockingStub onLine(SipGrpc.SipBlockingStub sip, String line) {
    Metadata m = new Metadata();
    m.put(LINE, line);
    return sip.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
  }

  private static List<String> accounts(List<SipStatus> history) {
    return history.stream()
        .map(SipStatus::getAccountName)
        .filter(a -> !a.isEmpty())
        .distinct()
        .toList();
  }

  private static List<StatusType> types(List<SipStatus> history) {
    return history.stream().map(SipStatus::getStatusType).toList();
  }
}
