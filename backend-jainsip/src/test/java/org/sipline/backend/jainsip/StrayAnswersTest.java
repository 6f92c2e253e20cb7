package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipUri;

/**
 * A 2xx to INVITE that no transaction waits for. From another fork of our own INVITE it is ACKed
 * and ended with BYE to its Contact (RFC 3261 §13.2.2.4); anything else — an unknown Call-ID, our
 * Call-ID with a From tag that isn't ours, a branch we never sent — makes the backend send nothing
 * anywhere, least of all to the third party its Contact names.
 */
class StrayAnswersTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  private final RecordingSipEventListener events = new RecordingSipEventListener();
  private ScriptedSipPeer registrar;
  private ScriptedSipPeer callee;
  private ScriptedSipPeer forger;

  /** Where forged Contacts point: a host that must never hear from the backend. */
  private ScriptedSipPeer thirdParty;

  private JainSipBackend backend;
  private SipAccount account;

  @BeforeEach
  void setUp() throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    callee = new ScriptedSipPeer();
    forger = new ScriptedSipPeer();
    thirdParty = new ScriptedSipPeer();
    backend = JainSipBackend.start(BackendConfig.loopback().build());
    account =
        backend.register(
            new AccountSpec(
                SipUri.of("alice", "127.0.0.1", registrar.port()), "secret", "alice", null),
            events);
    events.next(Registered.class);
  }

  @AfterEach
  void tearDown() {
    callee.answerEverything(200);
    backend.close();
    registrar.close();
    callee.close();
    forger.close();
    thirdParty.close();
  }

  @Test
  void okWithAnUnknownCallIdSendsNothingAnywhere() throws Exception {
    forger.send(forgedOk("z9hG4bKforged1", "made-up@attacker", "tagforged", 1), backend());

    assertBackendSentNothingAfter();
  }

  @Test
  void okWithOurCallIdButAFromTagNotOursSendsNothingAnywhere() throws Exception {
    SipText invite = connectedCall();

    forger.send(forgedOk("z9hG4bKforged2", invite.callId(), "tagforged", invite.cseq()), backend());

    assertBackendSentNothingAfter();
    callee.expectNothing(QUIET);
  }

  @Test
  void okWithOurCallIdAndFromTagButABranchWeNeverSentSendsNothingAnywhere() throws Exception {
    SipText invite = connectedCall();

    forger.send(
        forgedOk("z9hG4bKforged3", invite.callId(), invite.tag("From"), invite.cseq()), backend());

    assertBackendSentNothingAfter();
    callee.expectNothing(QUIET);
  }

  @Test
  void okFromAnotherForkOfOurInviteIsAckedAndEndedWithByeToItsContact() throws Exception {
    SipText invite = connectedCall();
    ScriptedSipPeer fork = thirdParty;

    // The stack swallows it while our INVITE's transaction lingers; a UAS retransmits its 2xx
    // until ACKed, and then the stray 2xx reaches us.
    SipText ack =
        fork.retransmitUntilAcked(
            "secondfork",
            invite,
            sdp(40002),
            Duration.ofSeconds(20),
            "Contact: <sip:bob@" + fork.hostPort() + ">");
    assertThat(ack.callId()).isEqualTo(invite.callId());
    assertThat(ack.tag("To")).isEqualTo("secondfork");
    assertThat(ack.cseq()).isEqualTo(invite.cseq());
    SipText bye = fork.expect("BYE", WAIT);
    assertThat(bye.tag("To")).isEqualTo("secondfork");
    assertThat(bye.tag("From")).isEqualTo(invite.tag("From"));
    fork.respond(bye, 200, "OK");
    // The first fork's call goes on untouched.
    callee.expectNo("BYE", QUIET);
    events.assertNoMoreEvents(Duration.ofMillis(100));
  }

  /** A call to the callee, answered and ACKed; its INVITE. */
  private SipText connectedCall() throws Exception {
    account.call(SipUri.of("bob", "127.0.0.1", callee.port()), Map.of(), SILENCE);
    SipText invite = callee.expect("INVITE", WAIT);
    callee.respondWithSdp(
        invite, 200, "OK", sdp(40000), "Contact: <sip:bob@" + callee.hostPort() + ">");
    callee.expect("ACK", WAIT);
    events.next(Connected.class);
    return invite;
  }

  /**
   * The backend handled what came before (the stack reads one datagram at a time and one executor
   * runs the listener, so its answer to a later OPTIONS comes after), and the host that the forged
   * Contact names heard nothing.
   */
  private void assertBackendSentNothingAfter() throws Exception {
    forger.send(
        "OPTIONS sip:alice@127.0.0.1:"
            + backend.sipPort()
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP "
            + forger.hostPort()
            + ";branch=z9hG4bKprobe1\r\n"
            + "From: <sip:probe@127.0.0.1>;tag=probe\r\n"
            + "To: <sip:alice@127.0.0.1>\r\n"
            + "Call-ID: probe@127.0.0.1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n",
        backend());
    forger.expectResponse(200, WAIT);
    thirdParty.expectNothing(QUIET);
    forger.expectNothing(Duration.ofMillis(100));
  }

  /** A 200 OK to INVITE that points its Contact at the third party. */
  private String forgedOk(String branch, String callId, String fromTag, long cseq) {
    String body = sdp(40004);
    return "SIP/2.0 200 OK\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + backend.sipPort()
        + ";branch="
        + branch
        + "\r\n"
        + "From: <sip:alice@127.0.0.1>;tag="
        + fromTag
        + "\r\n"
        + "To: <sip:bob@127.0.0.1>;tag=forgedto\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: "
        + cseq
        + " INVITE\r\n"
        + "Contact: <sip:victim@"
        + thirdParty.hostPort()
        + ">\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private InetSocketAddress backend() {
    return new InetSocketAddress("127.0.0.1", backend.sipPort());
  }

  private static String sdp(int port) {
    return "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio "
        + port
        + " RTP/AVP 0\r\na=sendrecv\r\n";
  }
}
