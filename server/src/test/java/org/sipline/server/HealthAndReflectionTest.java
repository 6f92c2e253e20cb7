package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartSessionRequest;

/** grpc.health.v1 for the server and the line's registration; server reflection on and off. */
class HealthAndReflectionTest {
  private RunningServer running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private ServingStatus health(String service) {
    return HealthGrpc.newBlockingStub(running.channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  @Test
  void theServerIsServingAndTheLineOnlyWhileItsSessionIsRegistered() throws Exception {
    running = RunningServer.start();
    assertThat(health("")).isEqualTo(ServingStatus.SERVING);
    assertThat(health(LineHealth.SERVICE)).isEqualTo(ServingStatus.NOT_SERVING);

    running
        .sip()
        .sipRegisterAccount(
            SipRegisterAccountRequest.newBuilder().setAccountName("alice@example.org").build());
    running
        .sip()
        .sipStartSession(
            SipStartSessionRequest.newBuilder().setAccountName("alice@example.org").build());
    await()
        .atMost(RunningServer.WAIT)
        .until(() -> health(LineHealth.SERVICE) == ServingStatus.SERVING);

    running.sip().sipEndSession(Empty.getDefaultInstance());
    await()
        .atMost(RunningServer.WAIT)
        .until(() -> health(LineHealth.SERVICE) == ServingStatus.NOT_SERVING);
  }

  @Test
  void stoppingTurnsEverythingNotServing() throws Exception {
    running = RunningServer.start();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(running.channel);
    running.server.stop();
    // After stop the server may already refuse connections; either answer is "not serving".
    try {
      assertThat(
              health
                  .withDeadlineAfter(2, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.NOT_SERVING);
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  private List<String> listServices() throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(running.channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    names.complete(
                        r.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    names.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    try {
      return names.get(5, TimeUnit.SECONDS);
    } finally {
      requests.onCompleted();
    }
  }

  @Test
  void reflectionListsTheSipAndLineMediaServicesByDefault() throws Exception {
    running = RunningServer.start();
    assertThat(listServices())
        .contains("ondewo.sip.Sip", "sipline.media.v1.LineMedia", "grpc.health.v1.Health");
  }

  @Test
  void reflectionCanBeTurnedOff() throws Exception {
    running = RunningServer.start(b -> b.reflection(false));
    assertThatThrownBy(this::listServices)
        .isInstanceOfSatisfying(
            ExecutionException.class,
            e ->
                assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .isEqualTo(Status.Code.UNIMPLEMENTED));
  }
}
