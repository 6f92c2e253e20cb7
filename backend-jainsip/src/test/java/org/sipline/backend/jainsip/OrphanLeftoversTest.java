package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.FinalResponse;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * What a dead process left, ended by another backend from the records alone: baresip (which matches
 * a BYE by Call-ID and both tags) hangs up on a BYE built from a call's {@link DialogRecord};
 * Kamailio drops a binding on a REGISTER with its Contact and Expires: 0, answering the challenge
 * only with the account's password; a journal with forged, torn and stale records sends a BYE to
 * the one recorded far end and nothing to the address the forgeries name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrphanLeftoversTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  @TempDir Path dir;

  private ScriptedSipPeer registrar;
  private JainSipBackend dead;
  private JainSipBackend restarted;

  @BeforeAll
  void start() throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    dead = JainSipBackend.start(BackendConfig.loopback().build());
    restarted = JainSipBackend.start(BackendConfig.loopback().build());
  }

  @AfterAll
  void stop() {
    if (dead != null) {
      dead.close();
    }
    if (restarted != null) {
      restarted.close();
    }
    registrar.close();
  }

  @Test
  void baresipHangsUpOnAByeBuiltFromTheRecordByAnotherProcess() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount line =
        dead.register(
            new AccountSpec(SipUri.of("ghost", "127.0.0.1", registrar.port()), "pw", "ghost", null),
            events);
    events.next(Registered.class, WAIT);
    try (Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("billed"))) {
      SipCall call =
          line.call(SipUri.of(phone.user(), "127.0.0.1", phone.port()), Map.of(), SILENCE);
      events.next(Ringing.class, WAIT);
      events.next(Connected.class, WAIT);
      phone.awaitEvent("CALL_ESTABLISHED", WAIT);

      DialogRecord record = call.dialogRecord().orElseThrow();
      assertThat(record.callId()).isEqualTo(call.callId());
      assertThat(record.incoming()).isFalse();
      assertThat(record.localUri()).isEqualTo("sip:ghost@127.0.0.1:" + registrar.port());
      // baresip's Contact user is its own (billed-0x…), not the AOR's.
      assertThat(record.remoteTarget())
          .startsWith("sip:billed")
          .contains("@127.0.0.1:" + phone.port());
      assertThat(record.routeSet()).isEmpty();
      assertThat(record.farEndHost()).isEqualTo("127.0.0.1");
      assertThat(record.farEndPort()).isEqualTo(phone.port());
      assertThat(record.transport()).isEqualTo(Transport.UDP);
      assertThat(record.nextCseq()).isGreaterThan(1);
      assertThat(record.localTag()).isNotEmpty();
      assertThat(record.remoteTag()).isNotEmpty();

      // The process holding the call says nothing more: another one ends the call for it.
      FinalResponse outcome =
          restarted.endOrphanedDialog(record).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(outcome.describe()).isEqualTo("200 OK");
      phone.awaitEvent("CALL_CLOSED", WAIT);
      call.terminate();
    }
  }

  @Test
  void kamailioDropsTheBindingOnlyWhenTheUnregisterCarriesTheAccountsCredentials()
      throws Exception {
    try (Kamailio kamailio =
        Kamailio.start(KamailioOptions.defaults().withUser("alice", "alice-pw"))) {
      AccountSpec alice =
          new AccountSpec(
              SipUri.of("alice", "127.0.0.1", kamailio.port()), "alice-pw", "alice", null);
      RecordingSipEventListener events = new RecordingSipEventListener();
      SipAccount account = dead.register(alice, events);
      events.next(Registered.class, WAIT);
      BindingRecord binding = account.binding().orElseThrow();
      assertThat(binding.aor()).isEqualTo("sip:alice@127.0.0.1:" + kamailio.port());
      assertThat(binding.contact()).isEqualTo("sip:alice@127.0.0.1:" + dead.sipPort());
      assertThat(kamailio.contacts("alice")).hasSize(1);

      FinalResponse bare =
          restarted.removeBinding(binding, null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(bare.isChallenge()).as(bare.describe()).isTrue();
      assertThat(kamailio.contacts("alice")).hasSize(1);

      FinalResponse answered =
          restarted.removeBinding(binding, alice).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(answered.describe()).isEqualTo("200 OK");
      kamailio.awaitUnregistered("alice", WAIT);
      account.unregister();
    }
  }

  @Test
  void forgedTornAndStaleRecordsSendNothingAnywhereButTheRecordedFarEnd() throws Exception {
    try (ScriptedSipPeer far = new ScriptedSipPeer();
        ScriptedSipPeer stranger = new ScriptedSipPeer()) {
      Instant now = Instant.now();
      String at = "127.0.0.1";
      String valid =
          dialog(
              "kept",
              now,
              "sip:far@" + far.hostPort(),
              "[\"sip:" + far.hostPort() + ";lr\"]",
              at,
              far.port());
      List<String> lines =
          List.of(
              // The target names the stranger, the record the far end.
              dialog("forged-target", now, "sip:far@" + stranger.hostPort(), "[]", at, far.port()),
              // The first route names the stranger.
              dialog(
                  "forged-route",
                  now,
                  "sip:far@" + far.hostPort(),
                  "[\"sip:" + stranger.hostPort() + ";lr\"]",
                  at,
                  far.port()),
              // Consistent, but two days old.
              dialog(
                  "stale",
                  now.minus(Duration.ofDays(2)),
                  "sip:far@" + stranger.hostPort(),
                  "[]",
                  at,
                  stranger.port()),
              // Consistent, but torn by the kill.
              dialog("torn", now, "sip:far@" + stranger.hostPort(), "[]", at, stranger.port())
                  .substring(0, 200),
              valid);
      Path journal = dir.resolve("history.jsonl");
      Files.writeString(
          journal.resolveSibling("history.jsonl+sip"), String.join("\n", lines) + "\n");

      try (Line restartedLine =
          Line.open(restarted, LineConfig.builder().journal(journal).build())) {
        SipText bye = far.expect("BYE", WAIT);
        assertThat(bye.requestUri()).isEqualTo("sip:far@" + far.hostPort());
        assertThat(bye.callId()).isEqualTo("kept");
        assertThat(bye.tag("From")).isEqualTo("ourtag");
        assertThat(bye.tag("To")).isEqualTo("theirtag");
        assertThat(bye.header("CSeq")).isEqualTo("7 BYE");
        assertThat(bye.header("Route")).isEqualTo("<sip:" + far.hostPort() + ";lr>");
        far.respond(bye, 200, "OK");
        LineStatus outcome = awaitOutcome(restartedLine, "ended call kept");
        assertThat(outcome.description())
            .isEqualTo(
                "ended call kept left by the previous process: BYE to "
                    + far.hostPort()
                    + " answered 200 OK");
        // Records are dealt with in journal order, the forgeries first: had any of them sent
        // anything, it would have arrived before the valid one's BYE was answered.
        stranger.expectNo("BYE", Duration.ofMillis(300));
        assertThat(restartedLine.history())
            .extracting(LineStatus::description)
            .anyMatch(d -> d.startsWith("no BYE for call forged-target "))
            .anyMatch(d -> d.startsWith("no BYE for call forged-route "))
            .anyMatch(d -> d.startsWith("no BYE for call stale "))
            .anyMatch(d -> d.contains("line 4 unreadable"));
      }
    }
  }

  private static LineStatus awaitOutcome(Line line, String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (LineStatus s : line.history()) {
        if (s.description().startsWith(text)) {
          return s;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in " + line.history());
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }

  private static String dialog(
      String callId, Instant time, String target, String routes, String farHost, int farPort) {
    return "{\"kind\":\"dialog\",\"time\":\""
        + time
        + "\",\"account\":\"ghost@127.0.0.1\",\"callId\":\""
        + callId
        + "\",\"direction\":\"outgoing\",\"localUri\":\"sip:ghost@127.0.0.1\",\"localTag\":\"ourtag\","
        + "\"remoteUri\":\"sip:far@127.0.0.1\",\"remoteTag\":\"theirtag\",\"remoteTarget\":\""
        + target
        + "\",\"routeSet\":"
        + routes
        + ",\"nextCseq\":7,\"transport\":\"UDP\",\"farEndHost\":\""
        + farHost
        + "\",\"farEndPort\":"
        + farPort
        + "}";
  }
}
