package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.BackendConfig;

/**
 * RFC 4028's headers as sipline reads a peer's (garbage is no header, never an early end) and the
 * choices it makes from them: the 422 threshold, the interval and refresher of our 2xx, and §10's
 * deadline.
 */
class SessionIntervalTest {
  private static final BackendConfig DEFAULTS = BackendConfig.loopback().build();

  private static Request invite(String... headers) throws Exception {
    StringBuilder sb =
        new StringBuilder(
            "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Max-Forwards: 70\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    sb.append("Content-Length: 0\r\n\r\n");
    return (Request)
        new StringMsgParser()
            .parseSIPMessage(sb.toString().getBytes(StandardCharsets.UTF_8), true, false, null);
  }

  @Test
  void sessionExpiresIsReadWithItsRefresherAndGarbageIsNoHeader() throws Exception {
    assertThat(SessionInterval.of(invite("Session-Expires: 90;refresher=uac")))
        .isEqualTo(new SessionInterval(90, "uac"));
    assertThat(SessionInterval.of(invite("Session-Expires: 1800")))
        .isEqualTo(new SessionInterval(1800, null));
    assertThat(SessionInterval.of(invite("x: 120;refresher=UAS")))
        .isEqualTo(new SessionInterval(120, "uas"));
    assertThat(SessionInterval.of(invite())).isNull();
    assertThat(SessionInterval.of(invite("Session-Expires: 0"))).isNull();
    assertThat(SessionInterval.of(invite("Session-Expires: 99999999999"))).isNull();
    assertThat(SessionInterval.minSe(invite("Min-SE: 120"))).isEqualTo(120);
    assertThat(SessionInterval.minSe(invite())).isZero();
    assertThat(SessionInterval.supportsTimer(invite("Supported: 100rel, timer"))).isTrue();
    assertThat(SessionInterval.supportsTimer(invite("Require: timer"))).isTrue();
    assertThat(SessionInterval.supportsTimer(invite("Supported: 100rel"))).isFalse();
    assertThat(SessionInterval.allows(invite("Allow: INVITE, UPDATE"), "UPDATE")).isTrue();
    assertThat(SessionInterval.allows(invite("Allow: INVITE, ACK"), "UPDATE")).isFalse();
  }

  @Test
  void tooBriefAnIntervalIsRefusedNamingOurMinSe() throws Exception {
    assertThat(SessionTimer.tooBrief(invite("Session-Expires: 89"), DEFAULTS)).isEqualTo(90);
    assertThat(SessionTimer.tooBrief(invite("Session-Expires: 90"), DEFAULTS)).isZero();
    assertThat(SessionTimer.tooBrief(invite(), DEFAULTS)).isZero();
    BackendConfig none = BackendConfig.loopback().sessionExpires(Duration.ZERO).build();
    assertThat(SessionTimer.tooBrief(invite("Session-Expires: 60"), none)).isEqualTo(90);
  }

  @Test
  void ourAnswerKeepsTheIntervalAskedForAndPicksTheRefresherAsRfc4028Section9Says()
      throws Exception {
    assertThat(SessionTimer.answer(invite("Session-Expires: 300;refresher=uas"), DEFAULTS))
        .isEqualTo(new SessionInterval(300, "uas"));
    assertThat(SessionTimer.answer(invite("Supported: timer", "Session-Expires: 300"), DEFAULTS))
        .isEqualTo(new SessionInterval(300, "uac"));
    assertThat(SessionTimer.answer(invite("Session-Expires: 300"), DEFAULTS))
        .isEqualTo(new SessionInterval(300, "uas"));
    // None asked for: ours, refreshed by the far end only when it supports timers.
    assertThat(SessionTimer.answer(invite("Supported: timer"), DEFAULTS))
        .isEqualTo(new SessionInterval(1800, "uac"));
    assertThat(SessionTimer.answer(invite(), DEFAULTS)).isEqualTo(new SessionInterval(1800, "uas"));
    BackendConfig none = BackendConfig.loopback().sessionExpires(Duration.ZERO).build();
    assertThat(SessionTimer.answer(invite(), none)).isNull();
  }

  @Test
  void theByeGoesAThirdOfTheIntervalOr32SecondsBeforeItEnds() {
    assertThat(SessionTimer.deadline(90)).isEqualTo(Duration.ofSeconds(60));
    assertThat(SessionTimer.deadline(1800)).isEqualTo(Duration.ofSeconds(1768));
    assertThat(SessionTimer.deadline(3)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theTimerMovesOnlyAsItsTransitionRuleAllows() {
    SessionTimer.State s = SessionTimer.State.OFF;
    s = s.moveTo(SessionTimer.State.OURS).moveTo(SessionTimer.State.REFRESHING);
    assertThat(s.moveTo(SessionTimer.State.THEIRS)).isEqualTo(SessionTimer.State.THEIRS);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SessionTimer.State.THEIRS.moveTo(SessionTimer.State.REFRESHING))
        .isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SessionTimer.State.DONE.moveTo(SessionTimer.State.OFF))
        .isInstanceOf(IllegalStateException.class);
  }
}
