package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipline.testing.TestWavs;

/**
 * Every rpc in every line state, with what it must answer (SPEC §2): a status type, the current
 * status unchanged, or a refusal. Refusals and answers must leave the history untouched.
 */
class LineRpcTableTest {

  /** The line states the table walks through, and how to reach each. */
  enum State {
    FRESH(h -> {}),
    REGISTERED(LineHarness::registered),
    READY(h -> h.ready(0)),
    DIALING(LineHarness::dialing),
    RINGING_IN(LineHarness::ringingIn),
    CONNECTED_OUT(LineHarness::connectedOut),
    CONNECTED_IN(LineHarness::connectedIn),
    TRANSFERRING(LineHarness::transferring);

    final Consumer<LineHarness> reach;

    State(Consumer<LineHarness> reach) {
      this.reach = reach;
    }
  }

  /** Each rpc as the server would call it. */
  enum Rpc {
    REGISTER(l -> l.registerAccount("second@fake.test", "pw", "", "")),
    START_SESSION(l -> l.startSession(LineHarness.ACCOUNT, 0)),
    END_SESSION(Line::endSession),
    START_CALL(l -> l.startCall("answer", Map.of())),
    END_CALL_SOFT(l -> l.endCall(false)),
    END_CALL_HARD(l -> l.endCall(true)),
    TRANSFER(l -> l.transferCall("human", Map.of())),
    PLAY(l -> l.playWavFiles(List.of(TestWavs.sine(8000, 1, 440, 60, 0.5)))),
    MUTE(Line::mute),
    UNMUTE(Line::unmute),
    STATUS(l -> java.util.concurrent.CompletableFuture.completedFuture(l.status()));

    final Function<Line, java.util.concurrent.CompletableFuture<LineStatus>> call;

    Rpc(Function<Line, java.util.concurrent.CompletableFuture<LineStatus>> call) {
      this.call = call;
    }
  }

  private static final String CURRENT = "CURRENT";
  private static final String REFUSED = "FAILED_PRECONDITION";

  /** Rows: rpc; columns in State order. */
  private static final Map<Rpc, String[]> TABLE = new EnumMap<>(Rpc.class);

  static {
    //                    FRESH, REGISTERED, READY, DIALING, RINGING_IN, CONNECTED_OUT,
    // CONNECTED_IN, TRANSFERRING
    row(
        Rpc.REGISTER,
        "REGISTERED",
        "REGISTERED",
        "REGISTERED",
        "REGISTERED",
        "REGISTERED",
        "REGISTERED",
        "REGISTERED",
        "REGISTERED");
    row(
        Rpc.START_SESSION,
        REFUSED,
        "SESSION_STARTED",
        CURRENT,
        CURRENT,
        CURRENT,
        CURRENT,
        CURRENT,
        CURRENT);
    row(
        Rpc.END_SESSION,
        "NO_SESSION",
        "NO_SESSION",
        "SESSION_ENDED",
        "SESSION_ENDED",
        "SESSION_ENDED",
        "SESSION_ENDED",
        "SESSION_ENDED",
        "SESSION_ENDED");
    row(
        Rpc.START_CALL,
        "NO_SESSION",
        "NO_SESSION",
        "OUTGOING_CALL_INITIATED",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED);
    row(
        Rpc.END_CALL_SOFT,
        "NO_SESSION",
        "NO_SESSION",
        "NO_ONGOING_CALL",
        "SOFT_HANGUP_INITIATED",
        "SOFT_HANGUP_INITIATED",
        "SOFT_HANGUP_INITIATED",
        "SOFT_HANGUP_INITIATED",
        "SOFT_HANGUP_INITIATED");
    row(
        Rpc.END_CALL_HARD,
        "NO_SESSION",
        "NO_SESSION",
        "NO_ONGOING_CALL",
        "HARD_HANGUP_INITIATED",
        "HARD_HANGUP_INITIATED",
        "HARD_HANGUP_INITIATED",
        "HARD_HANGUP_INITIATED",
        "HARD_HANGUP_INITIATED");
    row(
        Rpc.TRANSFER,
        "NO_SESSION",
        "NO_SESSION",
        "NO_ONGOING_CALL",
        REFUSED,
        REFUSED,
        "TRANSFER_CALL_INITIATED",
        "TRANSFER_CALL_INITIATED",
        REFUSED);
    row(
        Rpc.PLAY,
        "NO_SESSION",
        "NO_SESSION",
        "NO_ONGOING_CALL",
        REFUSED,
        REFUSED,
        "MICROPHONE_WAV_FILES_PLAYED",
        "MICROPHONE_WAV_FILES_PLAYED",
        "MICROPHONE_WAV_FILES_PLAYED");
    row(
        Rpc.MUTE,
        "NO_SESSION",
        "NO_SESSION",
        "NO_ONGOING_CALL",
        "MICROPHONE_MUTED",
        "MICROPHONE_MUTED",
        "MICROPHONE_MUTED",
        "MICROPHONE_MUTED",
        "MICROPHONE_MUTED");
    row(
        Rpc.UNMUTE,
        "NO_SESSION",
        "NO_SESSION",
        "NO_ONGOING_CALL",
        CURRENT,
        CURRENT,
        CURRENT,
        CURRENT,
        CURRENT);
    row(Rpc.STATUS, CURRENT, CURRENT, CURRENT, CURRENT, CURRENT, CURRENT, CURRENT, CURRENT);
  }

  private static void row(Rpc rpc, String... expected) {
    if (expected.length != State.values().length) {
      throw new IllegalStateException(rpc + " row has " + expected.length + " cells");
    }
    TABLE.put(rpc, expected);
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Rpc rpc : Rpc.values()) {
      for (State state : State.values()) {
        cells.add(Arguments.of(state, rpc, TABLE.get(rpc)[state.ordinal()]));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{1} in {0} -> {2}")
  @MethodSource("cells")
  void rpcInState(State state, Rpc rpc, String expected) {
    try (LineHarness h = new LineHarness()) {
      state.reach.accept(h);
      LineStatus before = h.line.status();
      int historyBefore = h.line.history().size();

      if (expected.equals(REFUSED)) {
        Throwable t = catchThrowable(() -> LineHarness.get(rpc.call.apply(h.line)));
        assertThat(t)
            .isInstanceOf(FailedPreconditionException.class)
            .hasMessageContaining("line is " + before.type());
        assertThat(h.line.history()).hasSize(historyBefore);
        return;
      }

      LineStatus answer = LineHarness.get(rpc.call.apply(h.line));
      if (expected.equals(CURRENT)) {
        assertThat(answer).isEqualTo(before);
        assertThat(h.line.history()).hasSize(historyBefore);
        return;
      }
      StatusType type = StatusType.valueOf(expected);
      assertThat(answer.type()).as(answer.description()).isEqualTo(type);
      boolean isAnswerOnly = type == StatusType.NO_SESSION || type == StatusType.NO_ONGOING_CALL;
      if (isAnswerOnly) {
        assertThat(h.line.history()).as("an answer records nothing").hasSize(historyBefore);
        assertThat(answer.description()).containsPattern("call Sip\\w+");
      } else {
        assertThat(h.line.history()).as("recorded").contains(answer);
      }
    }
  }
}
