package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The line's transition function, cell by cell: every state × every event, the next state or a
 * refusal ("-"). Written out in full so that a change to {@link LineState#after} shows up here as a
 * changed cell, never as drift.
 */
class LineStateTest {
  private static final String REFUSED = "-";

  /** Rows: state; columns in {@link LineEvent} order. */
  private static final Map<LineState, String[]> TABLE = new EnumMap<>(LineState.class);

  static {
    // START_SESSION, END_SESSION, SESSION_ENDED, DIAL, INCOMING_CALL, AUTO_ANSWER,
    // CALL_CONNECTED, TRANSFER, TRANSFER_FAILED, HANGUP, CALL_ENDED, PLAY, CLOSE
    row(
        LineState.NO_SESSION,
        "READY",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "CLOSED");
    row(
        LineState.READY,
        "READY",
        "ENDING_SESSION",
        REFUSED,
        "DIALING",
        "RINGING",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "CLOSED");
    row(
        LineState.DIALING,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "CONNECTED",
        REFUSED,
        REFUSED,
        "HANGING_UP",
        "READY",
        REFUSED,
        "CLOSED");
    row(
        LineState.RINGING,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        REFUSED,
        REFUSED,
        REFUSED,
        "ANSWERING",
        REFUSED,
        REFUSED,
        REFUSED,
        "HANGING_UP",
        "READY",
        REFUSED,
        "CLOSED");
    row(
        LineState.ANSWERING,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "CONNECTED",
        REFUSED,
        REFUSED,
        "HANGING_UP",
        "READY",
        REFUSED,
        "CLOSED");
    row(
        LineState.CONNECTED,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "TRANSFERRING",
        REFUSED,
        "HANGING_UP",
        "READY",
        "CONNECTED",
        "CLOSED");
    row(
        LineState.TRANSFERRING,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "CONNECTED",
        "HANGING_UP",
        "READY",
        "TRANSFERRING",
        "CLOSED");
    row(
        LineState.HANGING_UP,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "HANGING_UP",
        "READY",
        REFUSED,
        "CLOSED");
    row(
        LineState.ENDING_SESSION_IN_CALL,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "ENDING_SESSION_IN_CALL",
        "ENDING_SESSION",
        REFUSED,
        "CLOSED");
    row(
        LineState.ENDING_SESSION,
        REFUSED,
        "ENDING_SESSION",
        "NO_SESSION",
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "CLOSED");
    row(
        LineState.CLOSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        REFUSED,
        "CLOSED");
  }

  private static void row(LineState state, String... next) {
    if (next.length != LineEvent.values().length) {
      throw new IllegalStateException(state + " row has " + next.length + " cells");
    }
    TABLE.put(state, next);
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (LineState state : LineState.values()) {
      for (LineEvent event : LineEvent.values()) {
        cells.add(Arguments.of(state, event, TABLE.get(state)[event.ordinal()]));
      }
    }
    return cells.stream();
  }

  @Test
  void theTableHasARowForEveryState() {
    assertThat(TABLE.keySet()).containsExactlyInAnyOrder(LineState.values());
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @MethodSource("cells")
  void transition(LineState state, LineEvent event, String expected) {
    if (expected.equals(REFUSED)) {
      assertThat(state.after(event)).isNull();
      assertThatThrownBy(() -> state.next(event))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(state.words())
          .hasMessageContaining(event.words());
    } else {
      assertThat(state.after(event)).isEqualTo(LineState.valueOf(expected));
      assertThat(state.next(event)).isEqualTo(LineState.valueOf(expected));
    }
  }

  @Test
  void closedIsTerminal() {
    for (LineEvent event : LineEvent.values()) {
      LineState next = LineState.CLOSED.after(event);
      assertThat(next).as(event.name()).isIn(null, LineState.CLOSED);
    }
  }

  @Test
  void everyStateIsReachableFromAFreshLine() {
    Set<LineState> seen = EnumSet.of(LineState.NO_SESSION);
    List<LineState> frontier = new ArrayList<>(seen);
    while (!frontier.isEmpty()) {
      LineState s = frontier.remove(frontier.size() - 1);
      for (LineEvent e : LineEvent.values()) {
        LineState n = s.after(e);
        if (n != null && seen.add(n)) {
          frontier.add(n);
        }
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(LineState.values());
  }

  @Test
  void theQueriesAgreeWithTheTable() {
    for (LineState s : LineState.values()) {
      // A call can end exactly where there is one.
      assertThat(s.after(LineEvent.CALL_ENDED) != null).as(s.name()).isEqualTo(s.hasCall());
      // Playback needs a call that is up.
      assertThat(s.after(LineEvent.PLAY) != null).as(s.name()).isEqualTo(s.isUp());
      // A session can be ended exactly where there is one.
      assertThat(s.after(LineEvent.END_SESSION) != null).as(s.name()).isEqualTo(s.hasSession());
      // While ending, no call starts either way.
      if (s.isEnding()) {
        assertThat(s.after(LineEvent.DIAL)).as(s.name()).isNull();
        assertThat(s.after(LineEvent.INCOMING_CALL)).as(s.name()).isNull();
      }
      // A hangup under way is joined, not restarted.
      if (s.isHangingUp()) {
        assertThat(s.after(LineEvent.HANGUP)).as(s.name()).isEqualTo(s);
      }
    }
  }

  @Test
  void everyStateHasWordsOfItsOwn() {
    Set<String> words = new java.util.HashSet<>();
    for (LineState s : LineState.values()) {
      assertThat(s.words()).as(s.name()).isNotBlank().doesNotContain("_");
      assertThat(words.add(s.words())).as("words of " + s + " are unique").isTrue();
    }
  }
}
