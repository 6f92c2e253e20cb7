package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallStateTest {
  @Test
  void anIncomingCallIsAnsweredThenConnectsThenEnds() {
    assertThat(CallState.OFFERED.canMoveTo(CallState.ANSWERING)).isTrue();
    assertThat(CallState.ANSWERING.canMoveTo(CallState.CONNECTED)).isTrue();
    assertThat(CallState.CONNECTED.canMoveTo(CallState.ENDED)).isTrue();
  }

  @Test
  void anOfferedCallCannotConnectWithoutAnAnswer() {
    assertThat(CallState.OFFERED.canMoveTo(CallState.CONNECTED)).isFalse();
  }

  @Test
  void endedIsTerminal() {
    for (CallState next : CallState.values()) {
      assertThat(CallState.ENDED.canMoveTo(next)).as("ENDED -> %s", next).isFalse();
    }
  }
}
