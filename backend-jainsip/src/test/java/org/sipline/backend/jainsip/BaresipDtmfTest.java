package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.media.RecordingSink;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipEvent;
import org.sipline.testing.peers.BaresipOptions;

/**
 * DTMF with baresip 1.0 as the phone, RFC 4733 both ways: digits it sends with its menu's {@code
 * sndcode} (libre's telephone-event sender: 9 updates of 20 ms, so 180 ms a digit, the end three
 * times, alongside its audio) reach the call's sink once each with their duration; digits the
 * backend sends are reported by baresip as CALL_DTMF_START and CALL_DTMF_END, once each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaresipDtmfTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** What libre's sender makes of a key press and release: TXC_DIGIT_MIN (9) × 20 ms. */
  private static final int BARESIP_DIGIT_MILLIS = 180;

  private ScriptedSipPeer registrar;
  private JainSipBackend backend;

  @BeforeAll
  void startBackend() throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend = JainSipBackend.start(BackendConfig.loopback().build());
  }

  @AfterAll
  void stopBackend() {
    if (backend != null) {
      backend.close();
    }
    registrar.close();
  }

  private SipAccount line(String user, RecordingSipEventListener events) throws Exception {
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "secret", user, null),
            events);
    events.next(Registered.class);
    return account;
  }

  private static SipUri uri(Baresip phone) {
    return SipUri.of(phone.user(), "127.0.0.1", phone.port());
  }

  @Test
  void digitsBaresipSendsArriveOnceInOrderWithTheirDurations() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount line = line("hears-dtmf", events);
    RecordingSink sink = new RecordingSink();
    try (Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("keypad"))) {
      SipCall call = line.call(uri(phone), Map.of(), new CallMedia(AudioSource.SILENCE, sink));
      events.next(Ringing.class, WAIT);
      events.next(Connected.class, WAIT);
      phone.awaitEvent("CALL_ESTABLISHED", WAIT);
      sink.awaitWritten(10 * 160, WAIT); // its audio flows

      assertThat(phone.command("sndcode", "123#").ok()).isTrue();
      List<DtmfEvent> digits = sink.awaitDtmf(8, WAIT);
      assertThat(phone.command("sndcode", "55").ok()).isTrue();
      sink.awaitDtmf(12, WAIT);
      // Well past the last digit's end packets: anything repeated would have come by now.
      sink.awaitWritten(sink.written() + 25 * 160, WAIT);
      call.hangup();
      events.next(Ended.class, WAIT);

      List<DtmfEvent> all = sink.dtmf();
      assertThat(all).hasSize(12);
      assertThat(all.stream().filter(e -> !e.end()).map(DtmfEvent::digit))
          .containsExactly('1', '2', '3', '#', '5', '5');
      for (int i = 0; i < all.size(); i++) {
        DtmfEvent e = all.get(i);
        assertThat(e.end()).as("event %d alternates START, END", i).isEqualTo(i % 2 == 1);
        assertThat(e.source()).isEqualTo(DtmfMethod.RFC4733);
        if (e.end()) {
          assertThat(e.digit()).isEqualTo(all.get(i - 1).digit());
          assertThat(e.durationMillis())
              .as("duration of digit %c", e.digit())
              .isBetween(BARESIP_DIGIT_MILLIS - 10, BARESIP_DIGIT_MILLIS + 10);
        }
      }
      assertThat(digits).hasSize(8);
    }
  }

  @Test
  void digitsTheBackendSendsAreHeardByBaresipOnceEach() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount line = line("sends-dtmf", events);
    try (Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("listener"))) {
      SipCall call =
          line.call(uri(phone), Map.of(), new CallMedia(AudioSource.SILENCE, new RecordingSink()));
      events.next(Ringing.class, WAIT);
      events.next(Connected.class, WAIT);
      phone.awaitEvent("CALL_ESTABLISHED", WAIT);

      String sent = "4*0#9D";
      for (char digit : sent.toCharArray()) {
        assertThat(call.sendDtmf(digit, 120).get(10, TimeUnit.SECONDS))
            .isEqualTo(DtmfMethod.RFC4733);
      }
      // Each digit's future completed after its last end packet went out: baresip has them all,
      // and reports each digit's end on its first end packet.
      await().atMost(WAIT).until(() -> dtmfEvents(phone).size() >= 2 * sent.length());
      call.hangup();
      events.next(Ended.class, WAIT);
      phone.awaitEvent("CALL_CLOSED", WAIT);

      List<String> expected = new ArrayList<>();
      for (char digit : sent.toCharArray()) {
        expected.add(String.valueOf(digit));
        expected.add("end");
      }
      assertThat(dtmfEvents(phone)).containsExactlyElementsOf(expected);
    }
  }

  /** Baresip's DTMF events so far: the digit for a start, "end" for an end. */
  private static List<String> dtmfEvents(Baresip phone) {
    List<String> seen = new ArrayList<>();
    for (BaresipEvent e : phone.events()) {
      if (e.is("CALL_DTMF_START")) {
        seen.add(e.param());
      } else if (e.is("CALL_DTMF_END")) {
        seen.add("end");
      }
    }
    return seen;
  }
}
