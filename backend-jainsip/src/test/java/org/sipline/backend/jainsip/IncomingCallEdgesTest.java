package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Failed;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;

/**
 * Requests that reach the backend from a scripted caller: routing (404, OPTIONS, 405, 501), offers
 * we can't take (488, 400, 415), a late offer, a missing ACK, re-INVITEs and a REFER from the far
 * end.
 */
class IncomingCallEdgesTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);
  private static final String OFFER =
      "v=0\r\no=dave 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
          + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 8 0 101\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
  private static final AtomicInteger IDS = new AtomicInteger();

  private final RecordingSipEventListener events = new RecordingSipEventListener();
  private ScriptedSipPeer caller;
  private ScriptedSipPeer registrar;
  private JainSipBackend backend;
  private InetSocketAddress backendAddress;

  @BeforeEach
  void setUp() throws Exception {
    caller = new ScriptedSipPeer();
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend =
        JainSipBackend.start(
            BackendConfig.loopback()
                .transactionTimeout(Duration.ofSeconds(1))
                // G.711 as this class's SDP expects; our preference PCMA first, as its offers.
                .options(java.util.Map.of(org.sipline.core.spi.CodecList.OPTION, "pcma,pcmu"))
                .build());
    backend.register(
        new AccountSpec(SipUri.of("alice", "127.0.0.1", registrar.port()), "secret", "alice", null),
        events);
    events.next(Registered.class);
    backendAddress = new InetSocketAddress("127.0.0.1", backend.sipPort());
  }

  @AfterEach
  void tearDown() {
    caller.answerEverything(200);
    backend.close();
    caller.close();
    registrar.close();
  }

  /** The caller's side of one dialog, writing requests as a phone would. */
  private final class Dialog {
    final String callId = "call" + IDS.incrementAndGet() + "@test";
    final String user;
    String toTag;
    String target;
    int cseq;
    String inviteBranch;

    Dialog(String user) {
      this.user = user;
      this.target = "sip:" + user + "@127.0.0.1:" + backend.sipPort();
    }

    String request(String method, String body, String contentType, String... headers) {
      StringBuilder sb =
          new StringBuilder(method).append(' ').append(target).append(" SIP/2.0\r\n");
      // RFC 3261 §9.1: a CANCEL repeats its INVITE's branch and CSeq number.
      boolean cancel = method.equals("CANCEL");
      String branch =
          cancel
              ? inviteBranch
              : "z9hG4bK" + Integer.toHexString(callId.hashCode()) + "x" + IDS.incrementAndGet();
      if (method.equals("INVITE") && toTag == null) {
        inviteBranch = branch;
      }
      sb.append("Via: SIP/2.0/UDP ")
          .append(caller.hostPort())
          .append(";branch=")
          .append(branch)
          .append(";rport\r\n");
      sb.append("From: \"Dave\" <sip:dave@").append(caller.hostPort()).append(">;tag=dave1\r\n");
      String tag = cancel || toTag == null ? "" : ";tag=" + toTag;
      sb.append("To: <sip:")
          .append(user)
          .append("@127.0.0.1:")
          .append(backend.sipPort())
          .append('>')
          .append(tag)
          .append("\r\n");
      sb.append("Call-ID: ").append(callId).append("\r\n");
      int n = method.equals("ACK") || cancel ? cseq : ++cseq;
      sb.append("CSeq: ").append(n).append(' ').append(method).append("\r\n");
      sb.append("Contact: <sip:dave@").append(caller.hostPort()).append(">\r\n");
      sb.append("Max-Forwards: 70\r\n");
      sb.append(
          "Authorization: Digest username=\"dave\", realm=\"r\", nonce=\"n\", "
              + "uri=\"sip:x\", response=\"0\"\r\n");
      for (String h : headers) {
        sb.append(h).append("\r\n");
      }
      ScriptedSipPeer.appendBody(sb, contentType, body);
      return sb.toString();
    }

    void send(String method, String body, String... headers) throws Exception {
      caller.send(request(method, body, "application/sdp", headers), backendAddress);
    }

    /** Takes the dialog's To tag and remote target from a 2xx or 18x. */
    void confirmedBy(SipText response) {
      toTag = response.tag("To");
      String contact = response.header("Contact");
      target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
    }
  }

  /** INVITE to alice with {@code offer}; returns the call once 180 and incomingCall came. */
  private SipCall ring(Dialog d, String offer) throws Exception {
    d.send("INVITE", offer, "Subject: edge");
    caller.expectResponse(100, WAIT);
    d.confirmedBy(caller.expectResponse(180, WAIT));
    return events.next(Incoming.class).call();
  }

  @Test
  void anAccountRingsUpToItsMaxCallsAndAgainOnceOneIsOver() throws Exception {
    backend.register(
        new AccountSpec(SipUri.of("trunk", "127.0.0.1", registrar.port()), "secret", "trunk", null)
            .withMaxCalls(2),
        events);
    events.next(Registered.class);
    SipCall first = ring(new Dialog("trunk"), OFFER);
    ring(new Dialog("trunk"), OFFER);

    new Dialog("trunk").send("INVITE", OFFER);
    caller.expectResponse(486, WAIT);

    // The open calls are counted, not walked: a call reported over must free its place at once.
    first.reject(603, "Decline");
    caller.expectResponse(603, WAIT);
    events.next(Failed.class);
    ring(new Dialog("trunk"), OFFER);
  }

  @Test
  void inviteForAnUnknownUserGets404() throws Exception {
    new Dialog("nobody").send("INVITE", OFFER);
    caller.expectResponse(404, WAIT);
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void requestWhoseViaMaddrNamesAHostGets400AtItsSourceAndIsNotRoutedThere() throws Exception {
    Dialog d = new Dialog("alice");
    String options =
        d.request("OPTIONS", null, "application/sdp")
            .replace(";rport\r\n", ";rport;maddr=probe.example.com\r\n");
    caller.send(options, backendAddress);
    SipText refused = caller.expectResponse(400, WAIT);
    assertThat(refused.startLine()).contains("maddr 'probe.example.com' is not a literal");

    new Dialog("alice").send("OPTIONS", null);
    caller.expectResponse(200, WAIT);
  }

  @Test
  void rfc2543InviteWithoutContactOrMaxForwardsIsAnsweredStatelessly() throws Exception {
    Dialog toNobody = new Dialog("nobody");
    caller.send(rfc2543(toNobody.request("INVITE", OFFER, "application/sdp")), backendAddress);
    caller.expectResponse(404, WAIT);

    // Alice exists, but with no Contact there is no dialog to hold: 400 says what is missing.
    Dialog toAlice = new Dialog("alice");
    caller.send(rfc2543(toAlice.request("INVITE", OFFER, "application/sdp")), backendAddress);
    assertThat(caller.expectResponse(400, WAIT).startLine())
        .isEqualTo("SIP/2.0 400 Bad Request (Missing a required header : Contact)");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void optionsAreAnsweredByTheCapacityTheCoreReports() throws Exception {
    java.util.concurrent.atomic.AtomicReference<org.sipline.core.spi.Capacity> capacity =
        new java.util.concurrent.atomic.AtomicReference<>(org.sipline.core.spi.Capacity.FREE);
    backend.answerOptionsWith(capacity::get);
    new Dialog("alice").send("OPTIONS", null);
    caller.expectResponse(200, WAIT);
    capacity.set(org.sipline.core.spi.Capacity.FULL);
    new Dialog("alice").send("OPTIONS", null);
    assertThat(caller.expectResponse(486, WAIT).header("Allow")).contains("INVITE");
    capacity.set(org.sipline.core.spi.Capacity.DRAINING);
    new Dialog("alice").send("OPTIONS", null);
    caller.expectResponse(503, WAIT);
  }

  @Test
  void rfc2543OptionsWithoutMaxForwardsGetsItsAnswer() throws Exception {
    Dialog d = new Dialog("alice");
    caller.send(
        d.request("OPTIONS", null, "application/sdp").replace("Max-Forwards: 70\r\n", ""),
        backendAddress);
    assertThat(caller.expectResponse(200, WAIT).header("Allow")).contains("INVITE");
  }

  @Test
  void notifyTheStackCanHoldNoTransactionForStillGetsItsAnswer() throws Exception {
    // The RI makes no transaction for a NOTIFY without Subscription-State.
    new Dialog("alice").send("NOTIFY", null, "Event: refer");
    caller.expectResponse(481, WAIT);
  }

  /** {@code request} as an RFC 2543 client writes it: no Max-Forwards, no Contact. */
  private static String rfc2543(String request) {
    return request.replace("Max-Forwards: 70\r\n", "").replaceAll("Contact: <[^>]*>\r\n", "");
  }

  @Test
  void optionsIsAnswered200WithTheMethodsWeAllow() throws Exception {
    new Dialog("alice").send("OPTIONS", null);
    SipText ok = caller.expectResponse(200, WAIT);
    assertThat(ok.header("Allow"))
        .contains("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REFER", "NOTIFY");
  }

  @Test
  void knownButUnsupportedMethodGets405AndUnknownOneGets501() throws Exception {
    new Dialog("alice").send("MESSAGE", null);
    assertThat(caller.expectResponse(405, WAIT).header("Allow")).contains("INVITE");
    new Dialog("alice").send("FROBNICATE", null);
    caller.expectResponse(501, WAIT);
  }

  @Test
  void inviteFromACallerWeCannotNameGets400AndRingsNothing() throws Exception {
    // A From that JAIN-SIP parses but core's SIP address rules refuse (an IPv4 address with an
    // octet over 255): the line could not name the caller in its status, so the call is refused as
    // pjsip refuses it.
    Dialog d = new Dialog("alice");
    String invite =
        d.request("INVITE", OFFER, "application/sdp")
            .replaceFirst("From: [^\r]*\r\n", "From: <sip:dave@300.1.1.1>;tag=bad1\r\n");
    caller.send(invite, backendAddress);
    assertThat(caller.expectResponse(400, WAIT).startLine()).isEqualTo("SIP/2.0 400 Bad From");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void incomingCallReportsCallerAndHeadersWithoutCredentials() throws Exception {
    Dialog d = new Dialog("alice");
    d.send("INVITE", OFFER, "Subject: edge");
    Incoming incoming = events.next(Incoming.class);
    assertThat(incoming.info().caller()).isEqualTo(SipUri.of("dave", "127.0.0.1", caller.port()));
    assertThat(incoming.info().callerDisplayName()).isEqualTo("Dave");
    assertThat(incoming.info().headers())
        .containsEntry("Subject", "edge")
        .containsEntry("Call-ID", d.callId)
        .doesNotContainKey("Authorization");
    assertThat(incoming.call().callId()).isEqualTo(d.callId);
  }

  @Test
  void answerTakesOurFirstCodecTheCallerOffersAndOffersTelephoneEventBack() throws Exception {
    Dialog d = new Dialog("alice");
    SipCall call = ring(d, OFFER);
    call.answer(SILENCE);
    SipText ok = caller.expectResponse(200, WAIT);
    assertThat(ok.body())
        .contains("m=audio ")
        .contains(" RTP/AVP 8 101\r\n")
        .contains("a=rtpmap:8 PCMA/8000")
        .contains("a=rtpmap:101 telephone-event/8000")
        .contains("c=IN IP4 127.0.0.1")
        .contains("a=sendrecv");
    d.confirmedBy(ok);
    d.send("ACK", null);
    events.next(Connected.class);

    d.send("BYE", null);
    caller.expectResponse(200, WAIT);
    assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
  }

  @Test
  void offerWithoutPcmuOrPcmaIsRefusedWith488OnAnswer() throws Exception {
    Dialog d = new Dialog("alice");
    SipCall call = ring(d, OFFER.replace("RTP/AVP 8 0 101", "RTP/AVP 18 101"));
    call.answer(SILENCE);
    caller.expectResponse(488, WAIT);
    Failed failed = events.next(Failed.class);
    assertThat(failed.failure().describe()).isEqualTo("488 Not Acceptable Here");
  }

  @Test
  void unreadableSdpGets400AndNonSdpBodyGets415() throws Exception {
    new Dialog("alice").send("INVITE", "v=0\r\nm=audio port RTP/AVP 0\r\n");
    caller.expectResponse(400, WAIT);
    Dialog d = new Dialog("alice");
    caller.send(d.request("INVITE", "hello", "text/plain"), backendAddress);
    assertThat(caller.expectResponse(415, WAIT).header("Accept")).isEqualTo("application/sdp");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void offerNamingAHostInsteadOfAnAddressGets488WithAWarningAndNoCall() throws Exception {
    new Dialog("alice")
        .send("INVITE", OFFER.replace("c=IN IP4 127.0.0.1", "c=IN IP4 media.example.com"));
    SipText refused = caller.expectResponse(488, WAIT);
    assertThat(refused.header("Warning"))
        .isEqualTo(
            "301 sipline \"SDP line 4: c= address"
                + " 'media.example.com' is not a literal IPv4 or IPv6 address (host names are not"
                + " resolved)\"");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void answerInTheAckNamingAHostEndsTheCallWithByeAnd488() throws Exception {
    Dialog d = new Dialog("alice");
    SipCall call = ring(d, null);
    call.answer(SILENCE);
    d.confirmedBy(caller.expectResponse(200, WAIT));
    d.send(
        "ACK",
        OFFER
            .replace("RTP/AVP 8 0 101", "RTP/AVP 0")
            .replace("c=IN IP4 127.0.0.1", "c=IN IP6 media.example.com"));

    caller.expect("BYE", WAIT);
    Failed failed = events.next(Failed.class);
    assertThat(failed.failure().statusCode()).isEqualTo(488);
    assertThat(failed.failure().reason()).contains("'media.example.com' is not a literal");
  }

  @Test
  void inviteWithoutOfferGetsOurOfferAndTheAnswerComesInTheAck() throws Exception {
    Dialog d = new Dialog("alice");
    SipCall call = ring(d, null);
    call.answer(SILENCE);
    SipText ok = caller.expectResponse(200, WAIT);
    assertThat(ok.body()).contains(" RTP/AVP 8 0 101"); // --codecs pcma,pcmu
    d.confirmedBy(ok);
    d.send("ACK", OFFER.replace("RTP/AVP 8 0 101", "RTP/AVP 0"));
    events.next(Connected.class);
  }

  @Test
  void missingAckFailsTheCallAndEndsTheDialogWithBye() throws Exception {
    Dialog d = new Dialog("alice");
    SipCall call = ring(d, OFFER);
    call.answer(SILENCE);
    caller.expectResponse(200, WAIT);

    Failed failed = events.next(Failed.class);
    assertThat(failed.failure().reason()).isEqualTo("no ACK for our 200 OK within 1 s");
    caller.expect("BYE", WAIT);
  }

  @Test
  void hangupWhileRingingDeclinesWith603() throws Exception {
    SipCall call = ring(new Dialog("alice"), OFFER);
    call.hangup();
    caller.expectResponse(603, WAIT);
    assertThat(events.next(Failed.class).failure().describe()).isEqualTo("603 Decline");
  }

  @Test
  void answerAfterTheCallerCancelledThrowsNamingTheState() throws Exception {
    Dialog d = new Dialog("alice");
    SipCall call = ring(d, OFFER);
    d.target = "sip:alice@127.0.0.1:" + backend.sipPort();
    d.send("CANCEL", null);
    caller.expectResponse(487, WAIT);
    assertThat(events.next(Failed.class).failure().describe())
        .isEqualTo("487 Request Terminated (caller cancelled)");
    assertThatThrownBy(() -> call.answer(SILENCE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(d.callId);
  }

  @Test
  void referFromTheFarEndIsDeclinedAndTheCallGoesOn() throws Exception {
    Dialog d = connected();
    d.send("REFER", null, "Refer-To: <sip:mallory@127.0.0.2>");
    caller.expectResponse(603, WAIT);
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void reInviteMayMoveTheMediaOrChangeTheCodecButOneWithoutPcmuOrPcmaIsRefused() throws Exception {
    Dialog d = connected();
    d.send("INVITE", OFFER.replace("40002", "40010"));
    SipText ok = caller.expectResponse(200, WAIT);
    assertThat(ok.body()).contains(" RTP/AVP 8 101");
    d.send("ACK", null);

    // RFC 3264 §8.3.2: another codec of those we support is taken.
    d.send("INVITE", OFFER.replace("RTP/AVP 8 0 101", "RTP/AVP 0"));
    assertThat(caller.expectResponse(200, WAIT).body()).contains(" RTP/AVP 0\r\n");
    d.send("ACK", null);

    d.send("INVITE", OFFER.replace("RTP/AVP 8 0 101", "RTP/AVP 18"));
    caller.expectResponse(488, WAIT);
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void dtmfFollowsTheTelephoneEventOfTheLatestReInvite() throws Exception {
    try (RtpCapture phone = new RtpCapture()) {
      String offer = OFFER.replace("40002", String.valueOf(phone.port()));
      Dialog d = new Dialog("alice");
      SipCall call = ring(d, offer);
      call.answer(SILENCE);
      d.confirmedBy(caller.expectResponse(200, WAIT));
      d.send("ACK", null);
      events.next(Connected.class);

      // The phone renumbers telephone-event: our answer and our digits follow it.
      d.send("INVITE", offer.replace("101", "96"));
      assertThat(caller.expectResponse(200, WAIT).body())
          .contains(" RTP/AVP 8 96")
          .contains("a=rtpmap:96 telephone-event/8000");
      d.send("ACK", null);
      assertThat(call.sendDtmf('7', 60).get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .isEqualTo(DtmfMethod.RFC4733);
      assertThat(phone.packets())
          .extracting(RtpCapture.Packet::payloadType)
          .filteredOn(pt -> pt != 8)
          .isNotEmpty()
          .containsOnly(96);

      // Then it drops telephone-event altogether: the next digit goes by SIP INFO.
      d.send(
          "INVITE",
          offer
              .replace("RTP/AVP 8 0 101", "RTP/AVP 8 0")
              .replace("a=rtpmap:101 telephone-event/8000\r\n", ""));
      assertThat(caller.expectResponse(200, WAIT).body()).doesNotContain("telephone-event");
      d.send("ACK", null);
      CompletableFuture<DtmfMethod> info = call.sendDtmf('8', 60);
      SipText request = caller.expect("INFO", WAIT);
      assertThat(request.body()).contains("Signal=8");
      caller.respond(request, 200, "OK");
      assertThat(info.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(DtmfMethod.SIP_INFO);
    }
  }

  @Test
  void reInviteMovingTheMediaToAHostNameGets488WithAWarningAndTheCallGoesOn() throws Exception {
    Dialog d = connected();
    d.send("INVITE", OFFER.replace("c=IN IP4 127.0.0.1", "c=IN IP4 rtp.example.net"));
    assertThat(caller.expectResponse(488, WAIT).header("Warning"))
        .startsWith("301 sipline ")
        .contains("'rtp.example.net' is not a literal");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void byeForAnUnknownDialogGets481() throws Exception {
    Dialog d = new Dialog("alice");
    d.toTag = "nosuch";
    d.send("BYE", null);
    caller.expectResponse(481, WAIT);
  }

  private Dialog connected() throws Exception {
    Dialog d = new Dialog("alice");
    SipCall call = ring(d, OFFER);
    call.answer(SILENCE);
    d.confirmedBy(caller.expectResponse(200, WAIT));
    d.send("ACK", null);
    events.next(Connected.class);
    return d;
  }
}
