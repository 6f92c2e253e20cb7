package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.HoldChanged;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
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
 * Changes in a connected call from SIPp far ends: hold by re-INVITE (a=sendonly: our RTP stops, we
 * answer recvonly), resume by UPDATE with another codec and address (our RTP goes there, in that
 * codec), each reported; and an incoming call that requires session timers, whose first INVITE asks
 * for too brief an interval (422) and whose refresher refreshes by UPDATE.
 */
class MidCallChangesTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);
  private static final AtomicInteger USERS = new AtomicInteger();

  /** A frame already under way when the sending stops may still arrive. */
  private static final long IN_FLIGHT_NANOS = 100_000_000L;

  private ScriptedSipPeer registrar;
  private JainSipBackend backend;

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (registrar != null) {
      registrar.close();
    }
  }

  private record Line(SipAccount account, String user) {}

  private Line start(Duration sessionExpires, RecordingSipEventListener events) throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend =
        JainSipBackend.start(
            BackendConfig.loopback()
                .transactionTimeout(Duration.ofSeconds(5))
                .sessionExpires(sessionExpires)
                .build());
    String user = "mid" + USERS.incrementAndGet();
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "secret", user, null),
            events);
    events.next(Registered.class);
    return new Line(account, user);
  }

  private static void assertSucceeded(Sipp sipp) {
    SippResult result = sipp.awaitExit(WAIT);
    assertThat(result.succeeded())
        .as("SIPp %s\n%s\n%s", result, sipp.errors(), sipp.messages())
        .isTrue();
  }

  @Test
  void holdStopsOurRtpAndResumeWithAnotherCodecAndAddressStartsItThere() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    Line line = start(BackendConfig.DEFAULT_SESSION_EXPIRES, events);
    try (RtpCapture before = new RtpCapture();
        RtpCapture after = new RtpCapture();
        Sipp callee =
            Sipp.uas(
                // SIPp takes no key in a pause's duration.
                SippScenario.resource("uas-hold-move-resume.xml")
                    .replace("[hold_after]", "600")
                    .replace("[resume_after]", "800"),
                SippOptions.defaults()
                    .withKey("rtp_a", Integer.toString(before.port()))
                    .withKey("rtp_b", Integer.toString(after.port())))) {
      SipCall call =
          line.account().call(SipUri.of("bob", "127.0.0.1", callee.port()), Map.of(), SILENCE);
      events.next(Connected.class);
      before.awaitPackets(10, WAIT);

      HoldChanged held = events.next(HoldChanged.class);
      long heldAt = System.nanoTime();
      assertThat(held.held()).isTrue();
      assertThat(held.description()).isEqualTo("call held by the far end (INVITE with a=sendonly)");

      HoldChanged resumed = events.next(HoldChanged.class);
      long resumedAt = System.nanoTime();
      assertThat(resumed.held()).isFalse();
      assertThat(resumed.description())
          .isEqualTo("call resumed by the far end (UPDATE with a=sendrecv)");
      after.awaitPackets(10, WAIT);
      assertThat(call.audioCodec()).isEqualTo("PCMA");

      call.hangup();
      assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.LOCAL_BYE);
      assertSucceeded(callee);

      // RFC 3264 §8.4: nothing to a peer that holds the call; after the resume, the new address
      // in the new codec.
      List<RtpCapture.Packet> first = before.packets();
      assertThat(first).allMatch(p -> p.payloadType() == 0);
      assertThat(first).allMatch(p -> p.arrivalNanos() < heldAt + IN_FLIGHT_NANOS);
      List<RtpCapture.Packet> second = after.packets();
      assertThat(second).allMatch(p -> p.payloadType() == 8);
      assertThat(second).allMatch(p -> p.arrivalNanos() > heldAt);
      assertThat(second.get(0).arrivalNanos()).isLessThan(resumedAt + 1_000_000_000L);
      // The hold was ~800 ms: no packet went anywhere during it.
      long gapMillis =
          (second.get(0).arrivalNanos() - first.get(first.size() - 1).arrivalNanos()) / 1_000_000;
      assertThat(gapMillis).isGreaterThan(500);

      String log = callee.messages();
      assertThat(log).contains("a=recvonly", "RTP/AVP 8 101", "a=rtpmap:8 PCMA/8000");
    }
  }

  @Test
  void anIncomingCallRequiringTimersGets422ThenIsAnsweredWithThemAndItsUpdateRefreshes()
      throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    Line line = start(Duration.ofSeconds(4), events);
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-timer-refresher.xml").replace("[refresh_after]", "1500"),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults().withService(line.user()).withKey("se", "4"))) {
      Incoming incoming = events.next(Incoming.class, WAIT);
      incoming.call().answer(SILENCE);
      events.next(Connected.class);
      // Our deadline for its refresh is 4 s - 4/3 s after the answer; it refreshes at 1.5 s and
      // hangs up at 3 s, so only a refresh that counted keeps our BYE from crossing its.
      Ended ended = events.next(Ended.class, WAIT);
      assertThat(ended.cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(caller);
      String log = caller.messages();
      assertThat(log)
          .containsPattern(
              java.util.regex.Pattern.compile("SIP/2.0 422 [^\n]*\n(?:[^\r\n]+\r?\n)*?Min-SE: 4"));
      String answer = log.substring(log.indexOf("SIP/2.0 200 OK"));
      assertThat(answer)
          .contains("Require: timer", "Session-Expires: 4;refresher=uac", "Supported: timer");
    }
  }
}
