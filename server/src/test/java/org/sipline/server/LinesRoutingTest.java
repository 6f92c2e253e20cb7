package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.media.v1.InterruptRequest;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.testing.peers.FreePorts;

/**
 * One server, three lines on one fake backend: a client without metadata drives the default line,
 * one names {@code line-7} by header, one reaches {@code line-5} by its port; their histories stay
 * apart, and an unknown line name is NOT_FOUND naming it, for both routed services.
 */
class LinesRoutingTest {
  private RunningServer running;
  private int base;
  private ManagedChannel portChannel;

  @BeforeEach
  void start() throws Exception {
    base = FreePorts.sipPorts(3);
    running =
        RunningServer.start(
            b ->
                b.lines(
                        List.of(
                            LineSpec.named("line-0"),
                            LineSpec.named("line-5"),
                            LineSpec.named("line-7")))
                    .linePortBase(base));
    portChannel =
        Grpc.newChannelBuilder("127.0.0.1:" + (base + 1), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() {
    if (portChannel != null) {
      portChannel.shutdownNow();
    }
    if (running != null) {
      running.close();
    }
  }

  @Test
  void headerPortAndDefaultReachTheirOwnLines() {
    SipGrpc.SipBlockingStub plain = running.sip();
    SipGrpc.SipBlockingStub byHeader = onLine(running.sip(), "line-7");
    SipGrpc.SipBlockingStub byPort =
        SipGrpc.newBlockingStub(portChannel).withDeadlineAfter(10, TimeUnit.SECONDS);

    assertThat(register(plain, "alice@example.org").getStatusType())
        .isEqualTo(StatusType.REGISTERED);
    assertThat(register(byHeader, "bob@example.org").getStatusType())
        .isEqualTo(StatusType.REGISTERED);
    assertThat(register(byPort, "carol@example.org").getStatusType())
        .isEqualTo(StatusType.REGISTERED);

    assertThat(accounts(plain)).containsOnly("alice@example.org");
    assertThat(accounts(onLine(running.sip(), "line-0"))).containsOnly("alice@example.org");
    assertThat(accounts(onLine(running.sip(), "line-7"))).containsOnly("bob@example.org");
    assertThat(accounts(onLine(running.sip(), "line-5"))).containsOnly("carol@example.org");
    assertThat(accounts(byPort)).containsOnly("carol@example.org");
  }

  @Test
  void theHeaderWinsOverThePort() {
    SipGrpc.SipBlockingStub both =
        onLine(SipGrpc.newBlockingStub(portChannel), "line-7")
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    register(both, "dave@example.org");
    assertThat(accounts(onLine(running.sip(), "line-7"))).containsOnly("dave@example.org");
    assertThat(accounts(onLine(running.sip(), "line-5"))).isEmpty();
  }

  @Test
  void anUnknownLineIsNotFoundNamingItOnBothServices() {
    assertThatThrownBy(
            () -> onLine(running.sip(), "line-9").sipGetSipStatus(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .contains("x-sipline-line", "'line-9'", "line-0, line-5, line-7");
            });
    LineMediaGrpc.LineMediaBlockingStub media =
        LineMediaGrpc.newBlockingStub(running.channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header("nosuch")))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> media.interrupt(InterruptRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'nosuch'");
            });
  }

  @Test
  void healthStaysPerServerWhateverTheHeader() {
    HealthGrpc.HealthBlockingStub health =
        HealthGrpc.newBlockingStub(running.channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header("nosuch")))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void aSingleLineServerIgnoresNoHeaderAndKnowsItsLineByName() throws Exception {
    try (RunningServer single = RunningServer.start()) {
      register(single.sip(), "alice@example.org");
      assertThat(accounts(onLine(single.sip(), "line-0"))).containsOnly("alice@example.org");
      assertThat(accounts(single.sip())).containsOnly("alice@example.org");
    }
  }

  private static SipStatus register(SipGrpc.SipBlockingStub sip, String account) {
    return sip.sipRegisterAccount(
        SipRegisterAccountRequest.newBuilder().setAccountName(account).build());
  }

  private static List<String> accounts(SipGrpc.SipBlockingStub sip) {
    return sip.sipGetSipStatusHistory(Empty.getDefaultInstance()).getStatusHistoryList().stream()
        .map(SipStatus::getAccountName)
        .filter(a -> !a.isEmpty())
        .distinct()
        .toList();
  }

  private static SipGrpc.SipBlockingStub onLine(SipGrpc.SipBlockingStub sip, String line) {
    return sip.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header(line)));
  }

  private static Metadata header(String line) {
    Metadata m = new Metadata();
    m.put(LineRouting.LINE_HEADER, line);
    return m;
  }
}
