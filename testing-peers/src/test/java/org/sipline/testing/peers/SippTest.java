package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.Transport;

/**
 * Proves the SIPp fixture and validates every stock scenario by running a SIPp UAC against a SIPp
 * UAS: each pair must complete on both sides.
 */
class SippTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void callAnsweredHeldAndHungUpByTheCaller() {
    Pair pair =
        run(
            "uas-answer.xml",
            "uac-call-wait-answer.xml",
            SippOptions.defaults().withHoldMillis(300).withKey("caller", "alice"));

    assertThat(pair.uas)
        .contains(
            "INVITE sip:bob@127.0.0.1:",
            "From: <sip:alice@127.0.0.1:",
            "m=audio ",
            "a=rtpmap:101 telephone-event/8000",
            "BYE sip:sipp@127.0.0.1:");
    assertThat(pair.uac)
        .contains(
            "SIP/2.0 200 OK",
            "c=IN IP4 127.0.0.1",
            "m=audio " + pair.uasMediaPort + " RTP/AVP 0 8 101");
  }

  @Test
  void callerHangsUpRightAfterTheAnswer() {
    Pair pair = run("uas-answer.xml", "uac-call-caller-bye.xml", SippOptions.defaults());
    assertThat(pair.uac).contains("ACK sip:sipp@", "BYE sip:sipp@");
  }

  @Test
  void calleeHangsUpAfterItsHoldTime() {
    Pair pair =
        runWithUasOptions(
            "uas-answer-then-bye.xml",
            "uac-call-callee-bye.xml",
            SippOptions.defaults().withHoldMillis(200),
            SippOptions.defaults());
    // The callee's BYE swaps the INVITE's From and To, tags included.
    assertThat(pair.uac)
        .containsPattern("BYE sip:sipp@127\\.0\\.0\\.1:\\d+;transport=UDP SIP/2\\.0")
        .containsPattern("From: <sip:bob@127\\.0\\.0\\.1:\\d+>;tag=\\d+SIPpTag01")
        .containsPattern("To: <sip:sipp@127\\.0\\.0\\.1:\\d+>;tag=\\d+SIPpTag00");
  }

  @Test
  void callerCancelsWhileRinging() {
    Pair pair =
        runWithUasOptions(
            "uas-ring-expect-cancel.xml",
            "uac-call-cancel.xml",
            SippOptions.defaults(),
            SippOptions.defaults().withHoldMillis(200));
    assertThat(pair.uac).contains("CANCEL sip:bob@", "SIP/2.0 487 Request Terminated");
  }

  @Test
  void busyCalleeRefuses() {
    Pair pair = run("uas-busy.xml", "uac-call-expect-busy.xml", SippOptions.defaults());
    assertThat(pair.uac).contains("SIP/2.0 486 Busy Here", "ACK sip:bob@");
  }

  @Test
  void unavailableCalleeRefuses() {
    Pair pair = run("uas-unavailable.xml", "uac-call-expect-480.xml", SippOptions.defaults());
    assertThat(pair.uac).contains("SIP/2.0 480 Temporarily Unavailable");
  }

  @Test
  void ringingCalleeDeclines() {
    Pair pair =
        runWithUasOptions(
            "uas-ring-decline.xml",
            "uac-call-expect-decline.xml",
            SippOptions.defaults().withHoldMillis(200),
            SippOptions.defaults());
    assertThat(pair.uac).contains("SIP/2.0 180 Ringing", "SIP/2.0 603 Decline");
  }

  @Test
  void transferAcceptedAndReportedAsSucceeded() {
    Pair pair =
        run("uas-refer-accept.xml", "selftest/uac-call-refer-accepted.xml", SippOptions.defaults());
    assertThat(pair.uac)
        .contains(
            "SIP/2.0 202 Accepted",
            "Event: refer;id=2",
            "Content-Type: message/sipfrag;version=2.0",
            "SIP/2.0 100 Trying",
            "SIP/2.0 200 OK",
            "Subscription-State: terminated;reason=noresource");
  }

  @Test
  void transferRefused() {
    Pair pair =
        run("uas-refer-refuse.xml", "selftest/uac-call-refer-refused.xml", SippOptions.defaults());
    assertThat(pair.uac).contains("SIP/2.0 603 Decline", "BYE sip:sipp@");
  }

  @Test
  void transferAcceptedThenReportedAsFailed() {
    Pair pair =
        run(
            "uas-refer-notify-503.xml",
            "selftest/uac-call-refer-accepted.xml",
            SippOptions.defaults());
    assertThat(pair.uac).contains("SIP/2.0 202 Accepted", "SIP/2.0 503 Service Unavailable");
  }

  @Test
  void variablesAndKeysReachTheMessages() {
    // -set needs a declared global; SIPp refuses a variable mentioned fewer than two times.
    SippScenario withTopic =
        SippScenario.resource("uac-call-caller-bye.xml")
            .replace(
                "<scenario name=\"uac-call-caller-bye\">",
                "<scenario name=\"uac-call-caller-bye\">\n  <Global variables=\"topic\"/>")
            .replace("Subject: sipline test call", "Subject: [$topic]\nX-Topic: [$topic]");
    try (Sipp uas = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults());
        Sipp uac =
            Sipp.uac(
                withTopic,
                uas.hostPort(),
                SippOptions.defaults()
                    .withService("bob")
                    .withVariable("topic", "quarterly-review")
                    .withKey("caller", "carol"))) {
      uac.awaitSuccess(WAIT);
      uas.awaitSuccess(WAIT);

      assertThat(uas.messages())
          .contains(
              "Subject: quarterly-review",
              "X-Topic: quarterly-review",
              "From: <sip:carol@127.0.0.1:" + uac.port() + ">");
    }
  }

  @Test
  void callOverTcp() {
    SippOptions tcp = SippOptions.defaults().withTransport(Transport.TCP);
    Pair pair = runWithUasOptions("uas-answer.xml", "uac-call-caller-bye.xml", tcp, tcp);
    assertThat(pair.uac).contains("TCP message sent", "Via: SIP/2.0/TCP 127.0.0.1:");
  }

  @Test
  void scenarioThatDoesNotMatchTheCalleeFails() {
    try (Sipp uas = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults());
        Sipp uac =
            Sipp.uac(
                SippScenario.resource("uac-call-expect-busy.xml"),
                uas.hostPort(),
                SippOptions.defaults()
                    .withService("bob")
                    .withRecvTimeout(Duration.ofSeconds(2))
                    .withTimeout(Duration.ofSeconds(5)))) {
      SippResult result = uac.awaitExit(WAIT);

      assertThat(result.succeeded()).isFalse();
      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.failedCalls()).isEqualTo(1);
      assertThat(uac.errors())
          .contains("Aborting call on unexpected message", "received 'SIP/2.0 200 OK");
      assertThatThrownBy(() -> uac.awaitSuccess(Duration.ZERO))
          .isInstanceOf(PeerException.class)
          .hasMessageContaining("uac-call-expect-busy.xml failed");
    }
  }

  @Test
  void closeStopsAWaitingUas() {
    Sipp uas = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults());
    ProcessHandle handle = ProcessHandle.of(uas.pid()).orElseThrow();
    assertThat(BoundPorts.udpBound(uas.port())).isTrue();

    uas.close();

    assertThat(handle.isAlive()).isFalse();
    assertThat(uas.isRunning()).isFalse();
  }

  @Test
  void closingTwiceStopsOnceAndThenDoesNothing() {
    Sipp uas = Sipp.uas(SippScenario.resource("uas-answer.xml"), SippOptions.defaults());
    ProcessHandle handle = ProcessHandle.of(uas.pid()).orElseThrow();
    uas.close();

    assertThatCode(uas::close).doesNotThrowAnyException();
    assertThat(handle.isAlive()).isFalse();
  }

  @Test
  void awaitExitNamesTheScenarioWhenSippStillRuns() {
    try (Sipp uas = Sipp.uas(SippScenario.resource("uas-busy.xml"), SippOptions.defaults())) {
      assertThatThrownBy(() -> uas.awaitExit(Duration.ofMillis(100)))
          .isInstanceOf(PeerException.class)
          .hasMessageContaining("uas-busy.xml did not finish within PT0.1S");
    }
  }

  @Test
  void targetOutsideLoopbackIsRefused() {
    assertThatThrownBy(
            () ->
                Sipp.uac(
                    SippScenario.resource("uac-call-caller-bye.xml"),
                    "192.0.2.1:5060",
                    SippOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("192.0.2.1:5060");
  }

  private record Pair(String uas, String uac, int uasMediaPort) {}

  private static Pair run(String uasScenario, String uacScenario, SippOptions uacOptions) {
    return runWithUasOptions(uasScenario, uacScenario, SippOptions.defaults(), uacOptions);
  }

  /** Runs a UAC against a UAS until both exit; both must have completed their one call. */
  private static Pair runWithUasOptions(
      String uasScenario, String uacScenario, SippOptions uasOptions, SippOptions uacOptions) {
    try (Sipp uas = Sipp.uas(SippScenario.resource(uasScenario), uasOptions);
        Sipp uac =
            Sipp.uac(
                SippScenario.resource(uacScenario),
                uas.hostPort(),
                uacOptions.withService("bob"))) {
      uac.awaitSuccess(WAIT);
      uas.awaitSuccess(WAIT);
      return new Pair(uas.messages(), uac.messages(), uas.mediaPort());
    }
  }
}
