package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.stub.StreamObserver;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.CallState;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.ListenRequest;
import org.sipline.api.media.v1.Open;
import org.sipline.testing.FakeCall;

/**
 * A stream opened with NEXT while no call is there learns at once that it was accepted and waits
 * (CallState WAITING, sequence 1); its Opened follows when the call comes.
 */
class ConverseNextTest {
  private RunningServer running;

  @BeforeEach
  void start() throws Exception {
    running = RunningServer.start();
  }

  @AfterEach
  void stop() {
    running.close();
  }

  private static List<ConverseEvent> awaitEvents(RecordingEvents<?> client, int n) {
    await().atMost(RunningServer.WAIT).until(() -> client.events.size() >= n);
    return List.copyOf(client.events);
  }

  @Test
  void converseAndListenWithNextAreToldTheyWaitThenOpenedComesWithTheCall() {
    RecordingEvents<ConverseRequest> bot = new RecordingEvents<>(true);
    StreamObserver<ConverseRequest> requests = LineMediaGrpc.newStub(running.channel).converse(bot);
    requests.onNext(
        ConverseRequest.newBuilder().setOpen(Open.newBuilder().setCall(CallSelector.NEXT)).build());
    RecordingEvents<ListenRequest> tap = new RecordingEvents<>(true);
    LineMediaGrpc.newStub(running.channel)
        .listen(ListenRequest.newBuilder().setCall(CallSelector.NEXT).build(), tap);

    for (RecordingEvents<?> client : List.of(bot, tap)) {
      ConverseEvent waiting = awaitEvents(client, 1).get(0);
      assertThat(waiting.getSequence()).isEqualTo(1);
      assertThat(waiting.getCallState().getState()).isEqualTo(CallState.State.WAITING);
      assertThat(waiting.getCallState().getReason()).isEqualTo("waiting for the next call");
    }
    assertThat(bot.events).hasSize(1);

    FakeCall call = running.connectCall();
    for (RecordingEvents<?> client : List.of(bot, tap)) {
      ConverseEvent opened = awaitEvents(client, 2).get(1);
      assertThat(opened.getSequence()).isEqualTo(2);
      assertThat(opened.getOpened().getCallId()).isEqualTo(call.callId());
    }
    bot.cancel();
    tap.cancel();
  }
}
