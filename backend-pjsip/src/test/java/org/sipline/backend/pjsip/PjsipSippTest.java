package org.sipline.backend.pjsip;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * Calls against SIPp far ends, one scripted behaviour each: the exact event sequence the SPI
 * documents, and SIPp's own verdict that the wire traffic was what its scenario expects.
 */
class PjsipSippTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final CallMedia QUIET = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  private PjsipTestLine line;
  private PjsipBackend backend;
  private RecordingListener listener;
  private SipAccount account;

  @BeforeEach
  void start() throws Exception {
    line = PjsipTestLine.start("alice", b -> b.transferTimeout(Duration.ofSeconds(5)));
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

  private SipCall callInto(Sipp sipp) {
    return account.call(SipUri.of("bob", "127.0.0.1", sipp.port()), Map.of(), QUIET);
  }

  private static Sipp uas(String scenario, SippOptions options) {
    return Sipp.uas(SippScenario.resource(scenario), options);
  }

  @Test
  void aBusyCalleeFailsTheCallWith486() throws Exception {
    try (Sipp sipp = uas("uas-busy.xml", SippOptions.defaults())) {
      callInto(sipp);

      assertThat(listener.next(BOUND)).isEqualTo("callFailed 486 Busy Here");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void ringingThenDeclinedFailsTheCallWith603() throws Exception {
    try (Sipp sipp = uas("uas-ring-decline.xml", SippOptions.defaults().withHoldMillis(200))) {
      callInto(sipp);

      assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(listener.next(BOUND)).isEqualTo("callFailed 603 Decline");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void theCalleesByeEndsTheCallAsRemoteBye() throws Exception {
    try (Sipp sipp = uas("uas-answer-then-bye.xml", SippOptions.defaults().withHoldMillis(300))) {
      callInto(sipp);

      assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");
      assertThat(listener.next(BOUND)).isEqualTo("callEnded REMOTE_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void aSoftHangupWhileRingingCancelsTheInvite() throws Exception {
    try (Sipp sipp = uas("uas-ring-expect-cancel.xml", SippOptions.defaults())) {
      SipCall call = callInto(sipp);
      assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");

      call.hangup();

      assertThat(listener.next(BOUND)).isEqualTo("callFailed 487 Request Terminated");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void anAcceptedTransferSucceedsAndEndsTheCallAsTransferred() throws Exception {
    try (Sipp sipp = uas("uas-refer-accept.xml", SippOptions.defaults())) {
      SipCall call = connect(sipp);

      call.transfer(SipUri.of("carol", "127.0.0.1", 5999), Map.of("X-Reason", "bot"));

      assertThat(listener.next(BOUND)).isEqualTo("transferAccepted");
      assertThat(listener.next(BOUND)).isEqualTo("transferSucceeded");
      assertThat(listener.next(BOUND)).isEqualTo("callEnded TRANSFERRED");
      sipp.awaitSuccess(BOUND);
      assertThat(sipp.messages())
          .contains("REFER sip:", "Refer-To: sip:carol@127.0.0.1:5999", "X-Reason: bot");
    }
  }

  @Test
  void aRefusedTransferFailsWithTheCodeAndTheCallGoesOn() throws Exception {
    try (Sipp sipp = uas("uas-refer-refuse.xml", SippOptions.defaults())) {
      SipCall call = connect(sipp);

      call.transfer(SipUri.of("carol", "127.0.0.1", 5999), Map.of());

      assertThat(listener.next(BOUND)).startsWith("transferFailed 603");
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  /**
   * The dialog record a restart would BYE from (issue 17) follows the dialog: read when the call is
   * confirmed, and again once a request of ours took the next CSeq (a REFER, refused here), with a
   * dialogChanged that carries it; nothing else in it moves.
   */
  @Test
  void theDialogRecordTakesTheNextCseqOnceARequestOfOursUsedIt() throws Exception {
    try (Sipp sipp = uas("uas-refer-refuse.xml", SippOptions.defaults())) {
      SipCall call = connect(sipp);
      DialogRecord first = call.dialogRecord().orElseThrow();
      assertThat(first.callId()).isEqualTo(call.callId());
      assertThat(first.incoming()).isFalse();
      // SIPp's Contact, with its transport parameter.
      assertThat(first.remoteTarget()).startsWith("sip:sipp@127.0.0.1:" + sipp.port());
      assertThat(first.farEndPort()).isEqualTo(sipp.port());
      assertThat(first.localTag()).isNotEmpty();
      assertThat(first.remoteTag()).isNotEmpty();
      assertThat(first.routeSet()).isEmpty();
      // pjsua picks a dialog's first CSeq itself: the INVITE's is read off the wire.
      long inviteCseq = cseqOf(sipp.messages(), "INVITE");
      assertThat(first.nextCseq()).isEqualTo(inviteCseq + 1);

      call.transfer(SipUri.of("carol", "127.0.0.1", 5999), Map.of());
      assertThat(listener.next(BOUND)).startsWith("transferFailed 603");

      DialogRecord changed = null;
      while (changed == null || changed.nextCseq() == first.nextCseq()) {
        Optional<DialogRecord> next = listener.dialogs.poll(BOUND.toMillis(), MILLISECONDS);
        assertThat(next).as("a dialogChanged after the REFER").isNotNull();
        changed = next.orElseThrow();
      }
      assertThat(changed.nextCseq()).isEqualTo(first.nextCseq() + 1);
      assertThat(cseqOf(sipp.messages(), "REFER")).isEqualTo(first.nextCseq());
      assertThat(changed).usingRecursiveComparison().ignoringFields("nextCseq").isEqualTo(first);
      assertThat(call.dialogRecord()).contains(changed);
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  /** The CSeq number of the first {@code method} request in a SIPp message log. */
  private static long cseqOf(String log, String method) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("CSeq: (\\d+) " + method + "\\b").matcher(log);
    assertThat(m.find()).as("a %s in\n%s", method, log).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void aFailureReportedInTheNotifyFailsTheTransferAndTheCallGoesOn() throws Exception {
    try (Sipp sipp = uas("uas-refer-notify-503.xml", SippOptions.defaults())) {
      SipCall call = connect(sipp);

      call.transfer(SipUri.of("carol", "127.0.0.1", 5999), Map.of());

      assertThat(listener.next(BOUND)).isEqualTo("transferAccepted");
      assertThat(listener.next(BOUND)).startsWith("transferFailed 503");
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void aTransferWhoseFinalNotifyNeverComesFailsAfterTheTransferTimeoutAndTheCallGoesOn()
      throws Exception {
    // The accepting far end, minus its final NOTIFY: only "100 Trying" is ever reported.
    String xml = SippScenario.resource("uas-refer-accept.xml").xml();
    int finalNotify = xml.indexOf("<send retrans=\"500\">", xml.indexOf("CSeq: 1 NOTIFY"));
    String ack = "<recv response=\"200\"/>";
    int afterItsAck = xml.indexOf(ack, finalNotify) + ack.length();
    SippScenario silent =
        SippScenario.of(
            "uas-refer-no-final-notify.xml",
            xml.substring(0, finalNotify) + xml.substring(afterItsAck));
    try (Sipp sipp = Sipp.uas(silent, SippOptions.defaults())) {
      SipCall call = connect(sipp);
      long start = System.nanoTime();

      call.transfer(SipUri.of("carol", "127.0.0.1", 5999), Map.of());

      assertThat(listener.next(BOUND)).isEqualTo("transferAccepted");
      assertThat(listener.next(BOUND))
          .isEqualTo("transferFailed no final NOTIFY for the transfer within 5000 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(4900));
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      sipp.awaitSuccess(BOUND);
    }
  }

  @Test
  void anIncomingCallCancelledByTheCallerFails() throws Exception {
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-call-cancel.xml"),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults().withService("alice").withHoldMillis(300))) {
      assertThat(listener.next(BOUND)).startsWith("incomingCall sipp@127.0.0.1");

      assertThat(listener.next(BOUND)).startsWith("callFailed 487");
      caller.awaitSuccess(BOUND);
    }
  }

  @Test
  void aRejectedIncomingCallGetsThatFinalResponse() throws Exception {
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-call-expect-busy.xml"),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults().withService("alice"))) {
      assertThat(listener.next(BOUND)).startsWith("incomingCall");

      listener.lastIncoming.reject(486, "Busy Here");

      assertThat(listener.next(BOUND)).startsWith("callFailed 486");
      caller.awaitSuccess(BOUND);
    }
  }

  private SipCall connect(Sipp sipp) throws InterruptedException {
    SipCall call = callInto(sipp);
    assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");
    assertThat(listener.next(BOUND)).isEqualTo("callConnected");
    return call;
  }
}
