package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.lines.v1.CreateLineRequest;
import org.sipline.api.lines.v1.DeleteLineRequest;
import org.sipline.api.lines.v1.DrainRequest;
import org.sipline.api.lines.v1.DrainResponse;
import org.sipline.api.lines.v1.GetLineRequest;
import org.sipline.api.lines.v1.Line;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.ListLinesRequest;
import org.sipline.api.lines.v1.ListLinesResponse;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.core.spi.Capacity;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.FakeCall;
import org.sipline.testing.StatusProbe;

/**
 * sipline.lines.v1 besides the watch: listing and reading lines, adding and removing them (a line
 * with a call only when forced), and draining: health NOT_SERVING, INVITEs and OPTIONS 503, the
 * ongoing call allowed to finish up to the timeout and then hung up, accounts un-registered.
 */
class LinesServiceTest {
  @TempDir Path dir;

  private RunningServer running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private RunningServer twoLines() throws Exception {
    running =
        RunningServer.start(
            b -> b.lines(List.of(LineSpec.named("line-0"), LineSpec.named("line-1"))));
    return running;
  }

  private LinesGrpc.LinesBlockingStub lines() {
    return LinesGrpc.newBlockingStub(running.channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private LinesGrpc.LinesBlockingStub onLine(String name) {
    Metadata h = new Metadata();
    h.put(LineRouting.LINE_HEADER, name);
    return lines().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
  }

  private static void assertRefused(Executable rpc, Status.Code code, String... words) {
    assertThatThrownBy(rpc::execute)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(words);
            });
  }

  private ServingStatus health(String service) {
    return HealthGrpc.newBlockingStub(running.channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  @Test
  void listAndGetShowEveryLineWithItsLatestStatus() throws Exception {
    twoLines();
    FakeCall call = running.connectCall();
    ListLinesResponse all = lines().listLines(ListLinesRequest.getDefaultInstance());
    assertThat(all.getDraining()).isFalse();
    assertThat(all.getLinesList()).extracting(Line::getName).containsExactly("line-0", "line-1");
    Line first = all.getLines(0);
    assertThat(first.getDefaultLine()).isTrue();
    assertThat(first.getInCall()).isTrue();
    assertThat(first.getFree()).isFalse();
    assertThat(first.getRegistered()).isTrue();
    assertThat(first.getStatus().getStatusType()).isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);
    assertThat(first.getLastSeq()).isEqualTo(5);
    assertThat(first.getOldestSeq()).isEqualTo(1);
    assertThat(all.getLines(1).getDefaultLine()).isFalse();
    assertThat(all.getLines(1).getLastSeq()).isZero();
    assertThat(all.getLines(1).getStatus().getStatusType()).isEqualTo(StatusType.NO_SESSION);

    assertThat(lines().getLine(GetLineRequest.getDefaultInstance()).getName()).isEqualTo("line-0");
    assertThat(onLine("line-1").getLine(GetLineRequest.getDefaultInstance()).getName())
        .isEqualTo("line-1");
    assertThat(lines().getLine(GetLineRequest.newBuilder().setName("line-1").build()).getInCall())
        .isFalse();
    assertRefused(
        () -> lines().getLine(GetLineRequest.newBuilder().setName("nine").build()),
        Status.Code.NOT_FOUND,
        "'nine'");
    call.remoteBye();
    running.awaitStatus(StatusType.OUTGOING_CALL_FINISHED);
    StatusProbe.awaitTrue(
        () -> lines().getLine(GetLineRequest.getDefaultInstance()).getFree(),
        "free",
        Duration.ofSeconds(5));
  }

  @Test
  void linesAreCreatedAndRemovedButOneWithACallOnlyWhenForced() throws Exception {
    twoLines();
    Line created = lines().createLine(CreateLineRequest.newBuilder().setName("extra").build());
    assertThat(created.getName()).isEqualTo("extra");
    assertThat(created.getStatus().getStatusType()).isEqualTo(StatusType.NO_SESSION);
    assertThat(lines().listLines(ListLinesRequest.getDefaultInstance()).getLinesList())
        .extracting(Line::getName)
        .containsExactly("line-0", "line-1", "extra");
    assertRefused(
        () -> lines().createLine(CreateLineRequest.newBuilder().setName("extra").build()),
        Status.Code.ALREADY_EXISTS,
        "'extra'");
    assertRefused(
        () -> lines().createLine(CreateLineRequest.newBuilder().setName("bad name").build()),
        Status.Code.INVALID_ARGUMENT,
        "name",
        "'bad name'");
    assertRefused(
        () -> lines().deleteLine(DeleteLineRequest.newBuilder().setName("line-0").build()),
        Status.Code.FAILED_PRECONDITION,
        "default line");
    assertRefused(
        () -> lines().deleteLine(DeleteLineRequest.newBuilder().setName("nine").build()),
        Status.Code.NOT_FOUND,
        "'nine'");

    // A call on line-1: refused without force, hung up with it.
    RunningServer r = running;
    org.sipline.api.sip.SipGrpc.SipBlockingStub line1 =
        r.sip().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header("line-1")));
    line1.sipRegisterAccount(
        org.sipline.api.sip.SipRegisterAccountRequest.newBuilder()
            .setAccountName("bob@example.org")
            .build());
    line1.sipStartSession(
        org.sipline.api.sip.SipStartSessionRequest.newBuilder()
            .setAccountName("bob@example.org")
            .build());
    FakeCall call =
        r.backend.callIn("bob@example.org", SipUri.of("caller", "far.test", -1), Map.of());
    StatusProbe.awaitTrue(
        () ->
            onLine("line-1").getLine(GetLineRequest.getDefaultInstance()).getInCall()
                && call.state() == FakeCall.State.CONNECTED,
        "line-1 in a call",
        Duration.ofSeconds(5));
    assertRefused(
        () -> lines().deleteLine(DeleteLineRequest.newBuilder().setName("line-1").build()),
        Status.Code.FAILED_PRECONDITION,
        "line-1",
        "force");
    Line removed =
        lines()
            .deleteLine(DeleteLineRequest.newBuilder().setName("line-1").setForce(true).build())
            .getLine();
    assertThat(removed.getInCall()).isFalse();
    assertThat(removed.getStatus().getStatusType()).isEqualTo(StatusType.NO_SESSION);
    assertThat(call.state()).isEqualTo(FakeCall.State.ENDED);
    assertThat(running.backend.registrarLog()).contains("REGISTER bob@example.org expires=0");
    lines().deleteLine(DeleteLineRequest.newBuilder().setName("extra").build());
    assertThat(lines().listLines(ListLinesRequest.getDefaultInstance()).getLinesList())
        .extracting(Line::getName)
        .containsExactly("line-0");
    assertRefused(
        () -> onLine("line-1").getLine(GetLineRequest.getDefaultInstance()),
        Status.Code.NOT_FOUND,
        "'line-1'");
  }

  private static Metadata header(String line) {
    Metadata h = new Metadata();
    h.put(LineRouting.LINE_HEADER, line);
    return h;
  }

  @Test
  void drainLetsTheCallFinishRefusesNewOnesAndUnregisters() throws Exception {
    twoLines();
    FakeCall call = running.connectCall();
    assertThat(running.server.capacity()).isEqualTo(Capacity.FULL);
    var drained =
        LinesGrpc.newFutureStub(running.channel)
            .drain(DrainRequest.newBuilder().setTimeoutSeconds(30).build());
    StatusProbe.awaitTrue(
        () -> running.server.capacity() == Capacity.DRAINING, "draining", Duration.ofSeconds(5));
    assertThat(health("")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health(LineHealth.SERVICE)).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(lines().listLines(ListLinesRequest.getDefaultInstance()).getDraining()).isTrue();
    FakeCall late =
        running.backend.callIn("alice@example.org", SipUri.of("late", "far.test", -1), Map.of());
    StatusProbe.awaitTrue(() -> late.finalCode() == 503, "503", Duration.ofSeconds(5));
    assertRefused(
        () -> lines().createLine(CreateLineRequest.newBuilder().setName("x").build()),
        Status.Code.FAILED_PRECONDITION,
        "draining");
    assertThat(call.state()).isEqualTo(FakeCall.State.CONNECTED);
    assertThat(drained.isDone()).isFalse();

    call.remoteBye();
    DrainResponse outcome = drained.get(20, TimeUnit.SECONDS);
    assertThat(outcome.getCallsAtStart()).isEqualTo(1);
    assertThat(outcome.getCallsHungUp()).isZero();
    assertThat(running.history().stream().map(s -> s.getStatusType()))
        .containsSubsequence(
            StatusType.OUTGOING_CALL_FINISHED, StatusType.SESSION_ENDED, StatusType.NO_SESSION);
    assertThat(running.backend.registrarLog()).contains("REGISTER alice@example.org expires=0");
    // A second Drain answers at once with the same outcome.
    assertThat(lines().drain(DrainRequest.getDefaultInstance())).isEqualTo(outcome);
  }

  @Test
  void drainHangsUpACallStillUpWhenItsTimeoutPasses() throws Exception {
    running = RunningServer.start(b -> b.drainTimeout(Duration.ofMillis(300)));
    FakeCall call = running.connectCall();
    DrainResponse outcome = lines().drain(DrainRequest.getDefaultInstance());
    assertThat(outcome.getCallsAtStart()).isEqualTo(1);
    assertThat(outcome.getCallsHungUp()).isEqualTo(1);
    assertThat(call.state()).isEqualTo(FakeCall.State.ENDED);
    assertThat(running.history().stream().map(s -> s.getStatusType()))
        .containsSubsequence(
            StatusType.OUTGOING_CALL_CONNECTED,
            StatusType.OUTGOING_CALL_FINISHED,
            StatusType.SESSION_ENDED);
    assertThat(running.history())
        .filteredOn(s -> s.getStatusType() == StatusType.OUTGOING_CALL_FINISHED)
        .singleElement()
        .satisfies(s -> assertThat(s.getDescription()).contains("BYE"));
  }

  @Test
  void theLinesServiceAsksForTheTokenToo() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), "bot-token\n");
    running = RunningServer.start(b -> b.tokenFile(tokens));
    assertRefused(
        () -> lines().listLines(ListLinesRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "authorization");
    Metadata h = new Metadata();
    h.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer bot-token");
    assertThat(
            lines()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
                .listLines(ListLinesRequest.getDefaultInstance())
                .getLinesCount())
        .isEqualTo(1);
  }
}
