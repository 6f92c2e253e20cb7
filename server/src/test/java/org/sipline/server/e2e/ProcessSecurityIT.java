package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.SelfSignedCertificate;
import org.sipline.server.testing.SiplineProcess;

/**
 * The jar as a process with TLS, a token file and a small WAV budget: what a client without TLS,
 * without a token, with a malformed or an oversized request gets.
 */
class ProcessSecurityIT {
  private static final String TOKEN = "e2e-token-7f3a";
  private static final int WAV_BUDGET = 64 * 1024;

  @TempDir static Path dir;

  private static SelfSignedCertificate certificate;
  private static SiplineProcess sipline;
  private static ManagedChannel tls;

  @BeforeAll
  static void start() throws Exception {
    certificate = SelfSignedCertificate.create(dir, "sipline");
    Path tokens = Files.writeString(dir.resolve("tokens"), "# e2e\n" + TOKEN + "\n");
    sipline =
        SiplineProcess.start(
            dir,
            "--backend",
            "jainsip",
            "--tls-cert",
            certificate.cert().toString(),
            "--tls-key",
            certificate.key().toString(),
            "--token-file",
            tokens.toString(),
            "--max-wav-bytes",
            "64KiB");
    ChannelCredentials trusting =
        TlsChannelCredentials.newBuilder().trustManager(certificate.cert().toFile()).build();
    tls = Grpc.newChannelBuilder(sipline.target(), trusting).build();
  }

  @AfterAll
  static void stop() {
    if (tls != null) {
      tls.shutdownNow();
    }
    if (sipline != null) {
      sipline.close();
    }
  }

  private static SipGrpc.SipBlockingStub sip(String token) {
    SipGrpc.SipBlockingStub stub =
        SipGrpc.newBlockingStub(tls).withDeadlineAfter(20, TimeUnit.SECONDS);
    if (token == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static Status.Code codeOf(Runnable rpc) {
    try {
      rpc.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void aTlsClientWithTheTokenIsServed() {
    assertThat(sip(TOKEN).sipGetSipStatus(Empty.getDefaultInstance()).getStatusType())
        .isEqualTo(StatusType.NO_SESSION);
  }

  @Test
  void aPlaintextClientIsNotServed() throws Exception {
    ManagedChannel plain =
        Grpc.newChannelBuilder(sipline.target(), InsecureChannelCredentials.create()).build();
    try {
      assertThat(
              codeOf(
                  () ->
                      SipGrpc.newBlockingStub(plain)
                          .withDeadlineAfter(5, TimeUnit.SECONDS)
                          .sipGetSipStatus(Empty.getDefaultInstance())))
          .isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutOrWithAWrongTokenIsUnauthenticatedButHealthIsOpen() {
    assertThat(codeOf(() -> sip(null).sipGetSipStatus(Empty.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(codeOf(() -> sip("wrong").sipGetSipStatus(Empty.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    HealthGrpc.HealthBlockingStub health =
        HealthGrpc.newBlockingStub(tls).withDeadlineAfter(5, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(HealthCheckRequest.newBuilder().setService("sipline.Line").build())
                .getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);
  }

  @Test
  void aMalformedRequestIsInvalidArgumentNamingTheField() {
    assertThatThrownBy(
            () ->
                sip(TOKEN)
                    .sipStartCall(
                        SipStartCallRequest.newBuilder()
                            .setCalleeId("bob")
                            .putHeaders("Bad Name", "x")
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("headers[\"Bad Name\"]: ");
            });
  }

  @Test
  void anOversizedRequestIsResourceExhaustedNamingTheLimit() {
    SipPlayWavFilesRequest overBudget =
        SipPlayWavFilesRequest.newBuilder()
            .addWavFiles(ByteString.copyFrom(new byte[WAV_BUDGET + 1]))
            .build();
    assertThatThrownBy(() -> sip(TOKEN).sipPlayWavFiles(overBudget))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains(String.valueOf(WAV_BUDGET));
            });
    SipPlayWavFilesRequest overMessageLimit =
        SipPlayWavFilesRequest.newBuilder()
            .addWavFiles(ByteString.copyFrom(new byte[4 * WAV_BUDGET]))
            .build();
    assertThat(codeOf(() -> sip(TOKEN).sipPlayWavFiles(overMessageLimit)))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void theTokenNeverAppearsInTheLog() {
    assertThat(codeOf(() -> sip("wrong-" + TOKEN).sipGetSipStatus(Empty.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(sipline.log()).contains("Refused").doesNotContain(TOKEN);
  }
}
