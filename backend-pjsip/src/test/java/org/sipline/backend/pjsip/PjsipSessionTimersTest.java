package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * RFC 4028 session timers on pjsip, against the SIPp far ends jainsip's {@code SessionTimersTest}
 * uses (shared from testing-peers). pjsip runs no interval below 90 s (its ABS_MIN_SE), so where
 * jainsip's quick runs use a few seconds these use 90 s: the refresh comes at 45 s and a silent
 * refresher's deadline at 60 s. {@code -Plong} lets the refreshed call run 3 minutes.
 */
class PjsipSessionTimersTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final CallMedia QUIET = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);
  private static final boolean LONG = Boolean.getBoolean("sipline.long");

  /** RFC 4028's least interval, and pjsip's. */
  private static final int SE = 90;

  private PjsipTestLine line;
  private PjsipBackend backend;
  private RecordingListener listener;
  private SipAccount account;

  @BeforeEach
  void start() throws Exception {
    line = PjsipTestLine.start("alice", b -> b.sessionExpires(Duration.ofSeconds(SE)));
    backend = line.backend;
    listener = line.listener;
    account = line.account;
  }

  @AfterEach
  void stop() {
    if (line != null) {
      line.close();
    }
  }

  private void callInto(Sipp sipp) throws InterruptedException {
    account.call(SipUri.of("bob", "127.0.0.1", sipp.port()), Map.of(), QUIET);
    assertThat(listener.next(BOUND)).isEqualTo("callConnected");
  }

  @Test
  void anInviteThatRequiresTimersGets422ForTooShortAnIntervalThen200WithSessionExpires()
      throws Exception {
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-timer-refresher.xml").replace("[refresh_after]", "1000"),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults().withService("alice").withKey("se", Integer.toString(SE)))) {
      assertThat(listener.next(BOUND)).startsWith("incomingCall");
      listener.lastIncoming.answer(QUIET);
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");
      // The caller refreshes by UPDATE after 1 s and hangs up 1 s later.
      assertThat(listener.next(BOUND)).isEqualTo("callEnded REMOTE_BYE");
      caller.awaitSuccess(BOUND);
      String log = caller.messages();
      assertThat(log)
          .containsPattern(Pattern.compile("SIP/2.0 422 [^\n]*\n(?:[^\r\n]+\r?\n)*?Min-SE: " + SE));
      String answer = log.substring(log.indexOf("SIP/2.0 200 OK"));
      assertThat(answer).contains("Session-Expires: " + SE + ";refresher=uac");
    }
  }

  @Test
  void weRefreshAtHalfTheIntervalByReInviteAndTheCallSurvives() throws Exception {
    int count = LONG ? 4 : 1; // -Plong: 4 × 45 s, the call lasts 3 minutes
    try (Sipp callee =
        Sipp.uas(
            SippScenario.resource("uas-timer-we-refresh.xml")
                .replace("[allow]", "INVITE, ACK, BYE, CANCEL, OPTIONS")
                .replace("<!--REFRESHES-->", refreshes(count)),
            SippOptions.defaults()
                .withKey("se", Integer.toString(SE))
                .withTimeout(Duration.ofSeconds(SE * (count + 1L) + 20)))) {
      long started = System.nanoTime();
      callInto(callee);
      Duration bound = Duration.ofSeconds(SE * (count + 1L) / 2 + 10);
      assertThat(listener.next(bound)).isEqualTo("callEnded REMOTE_BYE");
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      callee.awaitSuccess(BOUND);
      // The far end BYEs right after the last refresh: at count × SE/2, not before.
      assertThat(tookMillis).isGreaterThanOrEqualTo(500L * count * SE);
      String log = callee.messages();
      assertThat(log).contains("Supported: timer", "Session-Expires: " + SE, "Min-SE: " + SE);
      assertThat(
              Pattern.compile(
                      "INVITE sip:[^\\n]*\\n(?:[^\\n]+\\n)*?Session-Expires: "
                          + SE
                          + ";refresher=uac")
                  .matcher(log)
                  .results()
                  .count())
          .isEqualTo(count);
    }
  }

  @Test
  void aFarEndRefresherThatStopsRefreshingGetsByeAtTheDeadlineAndTheStatusSaysWhy()
      throws Exception {
    try (Sipp callee =
        Sipp.uas(
            SippScenario.resource("uas-timer-they-refresh-then-stop.xml"),
            SippOptions.defaults()
                .withKey("se", Integer.toString(SE))
                .withTimeout(Duration.ofSeconds(SE + 30)))) {
      callInto(callee);
      long connected = System.nanoTime();
      assertThat(listener.next(Duration.ofSeconds(SE))).isEqualTo("callEnded ERROR");
      long afterMillis = (System.nanoTime() - connected) / 1_000_000;
      assertThat(listener.endDescriptions.poll())
          .isEqualTo(
              "session timer expired: no session refresh within 60 s of a 90 s session"
                  + " (RFC 4028)");
      // RFC 4028 §10: the BYE goes a third of the interval before it ends: not before 60 s.
      assertThat(afterMillis).isBetween(59_000L, (long) SE * 1000);
      callee.awaitSuccess(BOUND);
    }
  }

  @Test
  void a422IsObeyedWithTheMinSeItNames() throws Exception {
    try (Sipp callee =
        Sipp.uas(
            SippScenario.resource("uas-timer-422.xml"),
            SippOptions.defaults().withKey("min_se", "1800"))) {
      callInto(callee);
      assertThat(listener.next(BOUND)).isEqualTo("callEnded REMOTE_BYE");
      callee.awaitSuccess(BOUND);
      String log = callee.messages();
      int first = log.indexOf("Session-Expires: " + SE);
      int again = log.indexOf("Session-Expires: 1800");
      assertThat(first).isNotNegative();
      assertThat(again).isGreaterThan(first);
      assertThat(log.substring(again)).contains("Min-SE: 1800");
    }
  }

  /**
   * {@code session.expires} 0 asks for no timer (the account's is inactive), but one a far end
   * requires is still honoured, as SPEC says: pjsua takes the INVITE with {@code Require: timer}
   * (not 420) and answers it with the far end's Session-Expires.
   */
  @Test
  void withoutTimersAskedForAFarEndsRequiredTimerIsStillHonoured() throws Exception {
    line.close();
    line = PjsipTestLine.start("alice", b -> b.sessionExpires(Duration.ZERO));
    backend = line.backend;
    listener = line.listener;
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-call-requires-timer.xml"),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults().withService("alice").withHoldMillis(500))) {
      assertThat(listener.next(BOUND)).startsWith("incomingCall");
      listener.lastIncoming.answer(QUIET);
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");
      assertThat(listener.next(BOUND)).isEqualTo("callEnded REMOTE_BYE");
      caller.awaitSuccess(BOUND);
      String log = caller.messages();
      int ok = log.indexOf("SIP/2.0 200 OK");
      String answer = log.substring(ok, log.indexOf("ACK sip:", ok));
      assertThat(answer).contains("Require: timer", "Session-Expires: " + SE + ";refresher=uac");
    }
  }

  /** The far end's part of {@code count} re-INVITE refreshes, each answered 200 with SDP. */
  private static String refreshes(int count) {
    String block =
        """
          <recv request="INVITE" timeout="200000"/>
          <send>
            <![CDATA[

              SIP/2.0 200 OK
              [last_Via:]
              [last_From:]
              [last_To:]
              [last_Call-ID:]
              [last_CSeq:]
              Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
              Require: timer
              Supported: timer
              Session-Expires: [se];refresher=uac
              Content-Type: application/sdp
              Content-Length: [len]

              v=0
              o=sipp 1 2 IN IP[media_ip_type] [media_ip]
              s=sipline test peer
              c=IN IP[media_ip_type] [media_ip]
              t=0 0
              m=audio [media_port] RTP/AVP 0 101
              a=rtpmap:0 PCMU/8000
              a=rtpmap:101 telephone-event/8000
              a=fmtp:101 0-16
              a=ptime:20
              a=sendrecv

            ]]>
          </send>
          <recv request="ACK" crlf="true"/>
        """;
    return block.repeat(count);
  }
}
