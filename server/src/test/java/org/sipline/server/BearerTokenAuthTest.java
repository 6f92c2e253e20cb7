package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.ListenRequest;
import org.sipline.api.media.v1.Open;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStatus.StatusType;

/** With --token-file, only requests with an accepted bearer token reach the line. */
class BearerTokenAuthTest {
  @TempDir Path dir;

  private RunningServer running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private RunningServer withTokens() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), "# bots\nbot-token-1\nbot-token-2\n");
    running = RunningServer.start(b -> b.tokenFile(tokens));
    return running;
  }

  private SipGrpc.SipBlockingStub withAuthorization(String value) {
    Metadata headers = new Metadata();
    headers.put(BearerTokenInterceptor.AUTHORIZATION, value);
    return running.sip().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static void assertUnauthenticated(Runnable rpc, String why) {
    assertThatThrownBy(rpc::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).isEqualTo(why);
            });
  }

  @Test
  void withoutTokenFileEveryRequestIsServed() throws Exception {
    running = RunningServer.start();
    assertThat(running.sip().sipGetSipStatus(Empty.getDefaultInstance()).getStatusType())
        .isEqualTo(StatusType.NO_SESSION);
  }

  @Test
  void anAcceptedTokenIsServed() throws Exception {
    withTokens();
    assertThat(
            withAuthorization("Bearer bot-token-2")
                .sipGetSipStatus(Empty.getDefaultInstance())
                .getStatusType())
        .isEqualTo(StatusType.NO_SESSION);
    assertThat(
            withAuthorization("bearer bot-token-1")
                .sipGetSipStatus(Empty.getDefaultInstance())
                .getStatusType())
        .isEqualTo(StatusType.NO_SESSION);
  }

  @Test
  void aMissingWrongOrMalformedAuthorizationIsUnauthenticated() throws Exception {
    withTokens();
    assertUnauthenticated(
        () -> running.sip().sipGetSipStatus(Empty.getDefaultInstance()),
        "missing 'authorization: Bearer <token>' header");
    assertUnauthenticated(
        () -> withAuthorization("Bearer bot-token-3").sipGetSipStatus(Empty.getDefaultInstance()),
        "bearer token not accepted");
    assertUnauthenticated(
        () -> withAuthorization("Basic Ym90OnRva2Vu").sipGetSipStatus(Empty.getDefaultInstance()),
        "authorization header is not 'Bearer <token>'");
    assertUnauthenticated(
        () -> withAuthorization("Bearer bot-token-1x").sipGetSipStatus(Empty.getDefaultInstance()),
        "bearer token not accepted");
  }

  /** Opens a Converse with {@code authorization} (or none) and returns how the server ended it. */
  private Status converse(String authorization) throws Exception {
    LineMediaGrpc.LineMediaStub stub = LineMediaGrpc.newStub(running.channel);
    if (authorization != null) {
      Metadata headers = new Metadata();
      headers.put(BearerTokenInterceptor.AUTHORIZATION, authorization);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    RecordingEvents<ConverseRequest> client = new RecordingEvents<>(true);
    stub.converse(client)
        .onNext(
            ConverseRequest.newBuilder()
                .setOpen(Open.newBuilder().setCall(CallSelector.CURRENT))
                .build());
    return client.closed.get(RunningServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void streamingMediaCallsNeedAnAcceptedTokenToo() throws Exception {
    withTokens();
    Status missing = converse(null);
    assertThat(missing.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(missing.getDescription())
        .isEqualTo("missing 'authorization: Bearer <token>' header");
    Status wrong = converse("Bearer bot-token-3");
    assertThat(wrong.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(wrong.getDescription()).isEqualTo("bearer token not accepted");

    RecordingEvents<ListenRequest> listener = new RecordingEvents<>(true);
    LineMediaGrpc.newStub(running.channel)
        .listen(ListenRequest.newBuilder().setCall(CallSelector.CURRENT).build(), listener);
    assertThat(listener.closed.get(RunningServer.WAIT.toMillis(), TimeUnit.MILLISECONDS).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    // With the token the request reaches the line, which answers for itself: there is no call.
    Status accepted = converse("Bearer bot-token-1");
    assertThat(accepted.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void healthChecksNeedNoToken() throws Exception {
    withTokens();
    assertThat(
            HealthGrpc.newBlockingStub(running.channel)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }
}
