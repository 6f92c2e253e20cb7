package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Failed;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.RecordingSipEventListener.TransferAccepted;
import org.sipline.backend.jainsip.RecordingSipEventListener.TransferFailed;
import org.sipline.backend.jainsip.RecordingSipEventListener.TransferSucceeded;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippResult;
import org.sipline.testing.peers.SippScenario;

/**
 * Calls between the backend and SIPp, through the SPI with exact event sequences: SIPp plays the
 * far end of our calls (UAS scenarios) and the caller of incoming ones (UAC scenarios). One backend
 * serves the whole class, a fresh account per test, as a JVM serves many lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SippCallsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);
  private static final AtomicInteger USERS = new AtomicInteger();

  private ScriptedSipPeer registrar;
  private JainSipBackend backend;

  @BeforeAll
  void startBackend() throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend =
        JainSipBackend.start(
            BackendConfig.loopback()
                .transactionTimeout(Duration.ofSeconds(5))
                .transferTimeout(Duration.ofSeconds(5))
                .build());
  }

  @AfterAll
  void stopBackend() {
    if (backend != null) {
      backend.close();
    }
    registrar.close();
  }

  /** A registered account with its own listener. */
  private record Line(SipAccount account, RecordingSipEventListener events, String user) {}

  private Line line() throws Exception {
    String user = "line" + USERS.incrementAndGet();
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "secret", user, null),
            events);
    events.next(Registered.class);
    return new Line(account, events, user);
  }

  private static Sipp uas(String scenario, SippOptions options) {
    return Sipp.uas(SippScenario.resource(scenario), options);
  }

  private Sipp uac(String scenario, Line line, SippOptions options) {
    return Sipp.uac(
        SippScenario.resource(scenario),
        "127.0.0.1:" + backend.sipPort(),
        options.withService(line.user()));
  }

  private static SipUri bob(Sipp sipp) {
    return SipUri.of("bob", "127.0.0.1", sipp.port());
  }

  private static void assertSucceeded(Sipp sipp) {
    SippResult result = sipp.awaitExit(WAIT);
    assertThat(result.succeeded())
        .as("SIPp %s\n%s\n%s", result, sipp.errors(), sipp.messages())
        .isTrue();
  }

  // ---- outgoing -----------------------------------------------------------------------------

  @Test
  void answeredCallConnectsAndSoftHangupEndsItWithBye() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-answer.xml", SippOptions.defaults())) {
      SipCall call = line.account().call(bob(callee), Map.of("X-Conformance", "yes"), SILENCE);
      assertThat(call.isIncoming()).isFalse();
      assertThat(call.remote()).isEqualTo(bob(callee));

      Ringing ringing = line.events().next(Ringing.class);
      assertThat(ringing.statusCode()).isEqualTo(180);
      assertThat(ringing.reason()).isEqualTo("Ringing");
      assertThat(line.events().next(Connected.class).call()).isSameAs(call);
      call.hangup();
      Ended ended = line.events().next(Ended.class);
      assertThat(ended.cause()).isEqualTo(CallEnd.LOCAL_BYE);
      assertThat(ended.description()).isEqualTo("200 OK");
      assertSucceeded(callee);

      String invite = callee.messages();
      assertThat(invite)
          .contains(
              "INVITE sip:bob@127.0.0.1:" + callee.port(),
              "X-Conformance: yes",
              "User-Agent: sipline",
              "Call-ID: " + call.callId(),
              "m=audio ",
              " RTP/AVP 0 8 101",
              "a=rtpmap:0 PCMU/8000",
              "a=rtpmap:8 PCMA/8000",
              "a=rtpmap:101 telephone-event/8000",
              "a=fmtp:101 0-16",
              "a=ptime:20",
              "a=sendrecv",
              "c=IN IP4 127.0.0.1",
              "ACK sip:sipp@127.0.0.1:",
              "BYE sip:sipp@127.0.0.1:");
      assertThat(invite)
          .containsPattern(
              "From: <sip:" + line.user() + "@127\\.0\\.0\\.1:" + registrar.port() + ">;tag=");
    }
    line.events().assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void busyCalleeFailsTheCallWith486() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-busy.xml", SippOptions.defaults())) {
      line.account().call(bob(callee), Map.of(), SILENCE);
      Failed failed = line.events().next(Failed.class);
      assertThat(failed.failure().describe()).isEqualTo("486 Busy Here");
      assertSucceeded(callee);
    }
  }

  @Test
  void ringingThenDeclinedReportsRingingThen603() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-ring-decline.xml", SippOptions.defaults().withHoldMillis(200))) {
      line.account().call(bob(callee), Map.of(), SILENCE);
      assertThat(line.events().next(Ringing.class).statusCode()).isEqualTo(180);
      assertThat(line.events().next(Failed.class).failure().describe()).isEqualTo("603 Decline");
      assertSucceeded(callee);
    }
  }

  @Test
  void remoteByeEndsTheCall() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-answer-then-bye.xml", SippOptions.defaults().withHoldMillis(300))) {
      line.account().call(bob(callee), Map.of(), SILENCE);
      line.events().next(Ringing.class);
      line.events().next(Connected.class);
      Ended ended = line.events().next(Ended.class);
      assertThat(ended.cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(callee);
    }
  }

  @Test
  void hangupWhileRingingCancelsAndFailsWith487() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-ring-expect-cancel.xml", SippOptions.defaults())) {
      SipCall call = line.account().call(bob(callee), Map.of(), SILENCE);
      line.events().next(Ringing.class);
      call.hangup();
      assertThat(line.events().next(Failed.class).failure().describe())
          .isEqualTo("487 Request Terminated");
      assertSucceeded(callee);
      assertThat(callee.messages()).contains("CANCEL sip:bob@127.0.0.1:");
    }
  }

  @Test
  void hardHangupEndsAtOnceAndStillSendsBye() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-answer.xml", SippOptions.defaults())) {
      SipCall call = line.account().call(bob(callee), Map.of(), SILENCE);
      line.events().next(Ringing.class);
      line.events().next(Connected.class);
      call.terminate();
      Ended ended = line.events().next(Ended.class, Duration.ofMillis(500));
      assertThat(ended.cause()).isEqualTo(CallEnd.LOCAL_TERMINATE);
      assertSucceeded(callee);
    }
    line.events().assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void acceptedTransferSucceedsAndEndsTheCallTransferred() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-refer-accept.xml", SippOptions.defaults())) {
      SipCall call = line.account().call(bob(callee), Map.of(), SILENCE);
      line.events().next(Ringing.class);
      line.events().next(Connected.class);
      call.transfer(SipUri.of("carol", "127.0.0.1", 5099), Map.of("X-Reason", "bot"));
      line.events().next(TransferAccepted.class);
      line.events().next(TransferSucceeded.class);
      Ended ended = line.events().next(Ended.class);
      assertThat(ended.cause()).isEqualTo(CallEnd.TRANSFERRED);
      assertSucceeded(callee);
      assertThat(callee.messages())
          .contains(
              "REFER sip:sipp@127.0.0.1:",
              "Refer-To: <sip:carol@127.0.0.1:5099>",
              "X-Reason: bot",
              "Referred-By: <sip:" + line.user() + "@127.0.0.1:" + registrar.port() + ">");
    }
  }

  @Test
  void refusedTransferFailsAndTheCallGoesOn() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-refer-refuse.xml", SippOptions.defaults())) {
      SipCall call = line.account().call(bob(callee), Map.of(), SILENCE);
      line.events().next(Ringing.class);
      line.events().next(Connected.class);
      call.transfer(SipUri.of("carol", "127.0.0.1", 5099), Map.of());
      assertThat(line.events().next(TransferFailed.class).failure().describe())
          .isEqualTo("603 Decline");
      line.events().assertNoMoreEvents(Duration.ofMillis(300));
      call.hangup();
      assertThat(line.events().next(Ended.class).cause()).isEqualTo(CallEnd.LOCAL_BYE);
      assertSucceeded(callee);
    }
  }

  @Test
  void failureNotifyFailsTheTransferAndTheCallGoesOn() throws Exception {
    Line line = line();
    try (Sipp callee = uas("uas-refer-notify-503.xml", SippOptions.defaults())) {
      SipCall call = line.account().call(bob(callee), Map.of(), SILENCE);
      line.events().next(Ringing.class);
      line.events().next(Connected.class);
      call.transfer(SipUri.of("carol", "127.0.0.1", 5099), Map.of());
      line.events().next(TransferAccepted.class);
      TransferFailed failed = line.events().next(TransferFailed.class);
      assertThat(failed.failure().statusCode()).isEqualTo(503);
      line.events().assertNoMoreEvents(Duration.ofMillis(300));
      call.hangup();
      assertThat(line.events().next(Ended.class).cause()).isEqualTo(CallEnd.LOCAL_BYE);
      assertSucceeded(callee);
    }
  }

  // ---- incoming -----------------------------------------------------------------------------

  @Test
  void incomingCallIsReportedAnsweredAndEndedByTheCallersBye() throws Exception {
    Line line = line();
    try (Sipp caller =
        uac(
            "uac-call-wait-answer.xml",
            line,
            SippOptions.defaults().withHoldMillis(300).withKey("caller", "dave"))) {
      Incoming incoming = line.events().next(Incoming.class);
      SipCall call = incoming.call();
      assertThat(call.isIncoming()).isTrue();
      assertThat(incoming.info().caller().addressOfRecord())
          .isEqualTo("dave@127.0.0.1:" + caller.port());
      assertThat(incoming.info().headers()).containsEntry("Subject", "sipline test call");
      call.answer(SILENCE);
      assertThat(line.events().next(Connected.class).call()).isSameAs(call);
      assertThat(line.events().next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(caller);
      assertThat(caller.messages())
          .contains(
              "SIP/2.0 180 Ringing",
              "SIP/2.0 200 OK",
              "m=audio ",
              "a=rtpmap:0 PCMU/8000",
              "Server: sipline");
    }
  }

  @Test
  void callerCancelFailsTheIncomingCallWith487() throws Exception {
    Line line = line();
    try (Sipp caller =
        uac("uac-call-cancel.xml", line, SippOptions.defaults().withHoldMillis(300))) {
      line.events().next(Incoming.class);
      Failed failed = line.events().next(Failed.class);
      assertThat(failed.failure().statusCode()).isEqualTo(487);
      assertThat(failed.failure().reason()).contains("caller cancelled");
      assertSucceeded(caller);
    }
  }

  @Test
  void callerByeRightAfterTheAnswerEndsTheCall() throws Exception {
    Line line = line();
    try (Sipp caller = uac("uac-call-caller-bye.xml", line, SippOptions.defaults())) {
      line.events().next(Incoming.class).call().answer(SILENCE);
      line.events().next(Connected.class);
      assertThat(line.events().next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(caller);
    }
  }

  @Test
  void secondCallWhileInACallGetsBusyHere() throws Exception {
    Line line = line();
    try (Sipp first =
        uac("uac-call-wait-answer.xml", line, SippOptions.defaults().withHoldMillis(2000))) {
      line.events().next(Incoming.class).call().answer(SILENCE);
      line.events().next(Connected.class);
      try (Sipp second = uac("uac-call-expect-busy.xml", line, SippOptions.defaults())) {
        assertSucceeded(second);
      }
      assertThat(line.events().next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(first);
    }
    line.events().assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void rejectedIncomingCallGetsTheCodeTheCoreChose() throws Exception {
    Line line = line();
    try (Sipp caller = uac("uac-call-expect-480.xml", line, SippOptions.defaults())) {
      line.events().next(Incoming.class).call().reject(480, "Temporarily Unavailable");
      assertThat(line.events().next(Failed.class).failure().describe())
          .isEqualTo("480 Temporarily Unavailable");
      assertSucceeded(caller);
    }
  }
}
