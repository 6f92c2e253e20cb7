package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Failed;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.RecordingSipEventListener.TransferAccepted;
import org.sipline.backend.jainsip.RecordingSipEventListener.TransferFailed;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;

/**
 * What real peers can't be made to do on cue, played by a scripted far end: silence, a 180 with no
 * 100, a 200 crossing our CANCEL, a challenge on INVITE, an answer without a common codec, a call
 * whose RTP never comes, a transfer whose NOTIFY never comes.
 */
class OutgoingCallEdgesTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  private final RecordingSipEventListener events = new RecordingSipEventListener();
  private ScriptedSipPeer peer;
  private ScriptedSipPeer registrar;
  private JainSipBackend backend;
  private SipAccount account;

  @BeforeEach
  void setUp() throws Exception {
    peer = new ScriptedSipPeer();
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
  }

  @AfterEach
  void tearDown() {
    peer.answerEverything(200);
    if (backend != null) {
      backend.close();
    }
    peer.close();
    registrar.close();
  }

  private void start(BackendConfig.Builder config) throws Exception {
    backend = JainSipBackend.start(config.build());
    account =
        backend.register(
            new AccountSpec(
                SipUri.of("alice", "127.0.0.1", registrar.port()), "secret", "alice", null),
            events);
    events.next(Registered.class);
  }

  private void start() throws Exception {
    start(
        BackendConfig.loopback()
            .transactionTimeout(Duration.ofSeconds(1))
            .transferTimeout(Duration.ofSeconds(1)));
  }

  private SipCall callBob() {
    return account.call(SipUri.of("bob", "127.0.0.1", peer.port()), Map.of(), SILENCE);
  }

  private String contact() {
    return "Contact: <sip:bob@" + peer.hostPort() + ">";
  }

  private static String sdp(int port, String formats) {
    return "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio "
        + port
        + " RTP/AVP "
        + formats
        + "\r\na=sendrecv\r\n";
  }

  /** Answers the INVITE with 200 and a PCMU answer, and returns the ACK. */
  private SipText answer(SipText invite) throws Exception {
    peer.respondWithSdp(invite, 200, "OK", sdp(40000, "0"), contact());
    return peer.expect("ACK", WAIT);
  }

  @Test
  void neverAnsweredInviteFailsAfterTheTransactionTimeout() throws Exception {
    start();
    long start = System.nanoTime();
    callBob();
    peer.expect("INVITE", WAIT);

    Failed failed = events.next(Failed.class, WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
    assertThat(failed.failure().statusCode()).isZero();
    assertThat(failed.failure().reason()).isEqualTo("no answer within 1 s");
    peer.expectNo("CANCEL", Duration.ofMillis(500));
  }

  @Test
  void ringingButUnansweredCallIsCancelledAtTheTimeout() throws Exception {
    start();
    callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    peer.respond(invite, 180, "Ringing", contact());
    assertThat(events.next(Ringing.class).statusCode()).isEqualTo(180);

    SipText cancel = peer.expect("CANCEL", WAIT);
    assertThat(cancel.callId()).isEqualTo(invite.callId());
    assertThat(events.next(Failed.class).failure().reason()).isEqualTo("no answer within 1 s");
    peer.respond(cancel, 200, "OK");
    peer.respond(invite, 487, "Request Terminated");
    events.assertNoMoreEvents(Duration.ofMillis(300));
  }

  @Test
  void ringingBeforeTryingIsReportedOnceAndTheAnswerConnects() throws Exception {
    start();
    SipCall call = callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    peer.respond(invite, 180, "Ringing", contact());
    peer.respond(invite, 100, "Trying");
    peer.respond(invite, 180, "Ringing", contact());
    SipText ack = answer(invite);

    assertThat(events.next(Ringing.class).statusCode()).isEqualTo(180);
    assertThat(events.next(Connected.class).call()).isSameAs(call);
    assertThat(ack.requestUri()).isEqualTo("sip:bob@" + peer.hostPort());
    assertThat(ack.cseq()).isEqualTo(invite.cseq());
  }

  @Test
  void hangupBeforeAnyProvisionalSendsCancelOnceOneArrives() throws Exception {
    start(BackendConfig.loopback());
    SipCall call = callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    call.hangup();
    peer.expectNo("CANCEL", Duration.ofMillis(300));

    peer.respond(invite, 100, "Trying");
    SipText cancel = peer.expect("CANCEL", WAIT);
    peer.respond(cancel, 200, "OK");
    peer.respond(invite, 487, "Request Terminated");
    assertThat(events.next(Failed.class).failure().describe()).isEqualTo("487 Request Terminated");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void okCrossingOurCancelIsAckedAndEndedWithBye() throws Exception {
    start(BackendConfig.loopback());
    SipCall call = callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    peer.respond(invite, 180, "Ringing", contact());
    events.next(Ringing.class);
    call.hangup();
    SipText cancel = peer.expect("CANCEL", WAIT);
    peer.respond(cancel, 200, "OK");

    SipText ack = answer(invite);
    assertThat(ack.callId()).isEqualTo(invite.callId());
    SipText bye = peer.expect("BYE", WAIT);
    peer.respond(bye, 200, "OK");
    Failed failed = events.next(Failed.class);
    assertThat(failed.failure().reason()).contains("crossed the CANCEL");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void proxyChallengeOnInviteIsAnsweredWithANewCseqOnTheSameCallId() throws Exception {
    start(BackendConfig.loopback());
    callBob();
    SipText first = peer.expect("INVITE", WAIT);
    peer.respond(
        first,
        407,
        "Proxy Authentication Required",
        "Proxy-Authenticate: Digest realm=\"proxy\", nonce=\"abc\", qop=\"auth\"");
    SipText ackOf407 = peer.expect("ACK", WAIT);
    assertThat(ackOf407.cseq()).isEqualTo(first.cseq());

    SipText second = peer.expect("INVITE", WAIT);
    assertThat(second.callId()).isEqualTo(first.callId());
    assertThat(second.cseq()).isEqualTo(first.cseq() + 1);
    assertThat(second.tag("From")).isEqualTo(first.tag("From"));
    String credentials = second.header("Proxy-Authorization");
    assertThat(SipText.param(credentials, "uri")).isEqualTo(second.requestUri());
    assertThat(SipText.param(credentials, "username")).isEqualTo("alice");
    assertThat(second.body()).contains("m=audio ");
    peer.respond(second, 486, "Busy Here");
    assertThat(events.next(Failed.class).failure().describe()).isEqualTo("486 Busy Here");
  }

  @Test
  void answerWithoutACommonCodecIsAckedThenEndedAndFailsWith488() throws Exception {
    start(BackendConfig.loopback());
    callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    peer.respondWithSdp(invite, 200, "OK", sdp(40000, "18"), contact());

    peer.expect("ACK", WAIT);
    SipText bye = peer.expect("BYE", WAIT);
    peer.respond(bye, 200, "OK");
    Failed failed = events.next(Failed.class);
    assertThat(failed.failure().statusCode()).isEqualTo(488);
    assertThat(failed.failure().reason())
        .contains("the answer has none of our codecs (")
        .endsWith("pcmu,pcma))");
  }

  @Test
  void answerNamingAHostInsteadOfAnAddressIsAckedThenEndedAndFailsWith488() throws Exception {
    start(BackendConfig.loopback());
    callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    peer.respondWithSdp(
        invite,
        200,
        "OK",
        sdp(40000, "0").replace("c=IN IP4 127.0.0.1", "c=IN IP4 media.example.com"),
        contact());

    peer.expect("ACK", WAIT);
    SipText bye = peer.expect("BYE", WAIT);
    peer.respond(bye, 200, "OK");
    Failed failed = events.next(Failed.class);
    assertThat(failed.failure().statusCode()).isEqualTo(488);
    assertThat(failed.failure().reason())
        .isEqualTo(
            "Not Acceptable Here (SDP line 4: c= address"
                + " 'media.example.com' is not a literal IPv4 or IPv6 address (host names are not"
                + " resolved))");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void connectedCallWithoutRtpEndsAfterTheMediaTimeout() throws Exception {
    start(BackendConfig.loopback().mediaTimeout(Duration.ofSeconds(1)));
    callBob();
    answer(peer.expect("INVITE", WAIT));
    events.next(Connected.class);

    SipText bye = peer.expect("BYE", WAIT);
    peer.respond(bye, 200, "OK");
    Ended ended = events.next(Ended.class);
    assertThat(ended.cause()).isEqualTo(CallEnd.MEDIA_TIMEOUT);
    assertThat(ended.description()).startsWith("no RTP for ");
  }

  @Test
  void transferWithoutFinalNotifyFailsAfterTheTransferTimeoutAndTheCallGoesOn() throws Exception {
    start();
    SipCall call = callBob();
    answer(peer.expect("INVITE", WAIT));
    events.next(Connected.class);

    call.transfer(SipUri.of("carol", "127.0.0.1", 5099), Map.of());
    SipText refer = peer.expect("REFER", WAIT);
    assertThat(refer.header("Refer-To")).isEqualTo("<sip:carol@127.0.0.1:5099>");
    peer.respond(refer, 202, "Accepted");
    events.next(TransferAccepted.class);
    TransferFailed failed = events.next(TransferFailed.class);
    assertThat(failed.failure().reason()).contains("no final NOTIFY").contains("within 1 s");
    events.assertNoMoreEvents(Duration.ofMillis(200));

    call.hangup();
    peer.respond(peer.expect("BYE", WAIT), 200, "OK");
    assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.LOCAL_BYE);
  }

  @Test
  void terminateBeforeTheAnswerReportsAtOnceAndCancelsOnTheWire() throws Exception {
    start(BackendConfig.loopback());
    SipCall call = callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    peer.respond(invite, 180, "Ringing", contact());
    events.next(Ringing.class);

    call.terminate();
    assertThat(events.next(Ended.class, Duration.ofMillis(500)).cause())
        .isEqualTo(CallEnd.LOCAL_TERMINATE);
    SipText cancel = peer.expect("CANCEL", WAIT);
    peer.respond(cancel, 200, "OK");
    peer.respond(invite, 487, "Request Terminated");
    events.assertNoMoreEvents(Duration.ofMillis(300));
  }

  @Test
  void remoteByeDuringAPendingTransferFailsTheTransferBeforeTheCallEnds() throws Exception {
    start(BackendConfig.loopback());
    SipCall call = callBob();
    SipText invite = peer.expect("INVITE", WAIT);
    SipText ack = answer(invite);
    events.next(Connected.class);
    call.transfer(SipUri.of("carol", "127.0.0.1", 5099), Map.of());
    SipText refer = peer.expect("REFER", WAIT);
    peer.respond(refer, 202, "Accepted");
    events.next(TransferAccepted.class);

    peer.send(byeFromPeer(invite), ack.source());
    peer.expectResponse(200, WAIT);
    assertThat(events.next(TransferFailed.class).failure().reason())
        .contains("ended before the transfer completed");
    assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
  }

  /** A BYE from the peer in the dialog the INVITE and its 200 made (the ACK adds nothing to it). */
  private String byeFromPeer(SipText invite) {
    String ourContact = invite.header("Contact");
    String target = ourContact.substring(1, ourContact.indexOf('>'));
    String toTag = "peer" + Integer.toHexString(invite.callId().hashCode());
    return "BYE "
        + target
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP "
        + peer.hostPort()
        + ";branch=z9hG4bKpeerbye1\r\n"
        + "From: "
        + invite.header("To")
        + ";tag="
        + toTag
        + "\r\n"
        + "To: "
        + invite.header("From")
        + "\r\n"
        + "Call-ID: "
        + invite.callId()
        + "\r\n"
        + "CSeq: 1 BYE\r\n"
        + "Max-Forwards: 70\r\n"
        + "Content-Length: 0\r\n\r\n";
  }
}
