package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.backend.jainsip.RecordingSipEventListener.TransferAccepted;
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
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipEvent;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * A blind transfer with real phones: the line calls baresip A through Kamailio and transfers it to
 * baresip B; A follows the REFER, calls B, reports the answer in a NOTIFY, and the line's call ends
 * as transferred while A and B talk.
 */
class BaresipTransferTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  @Test
  void transferFromOnePhoneToAnotherThroughKamailioSucceeds() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    try (Kamailio kamailio =
            Kamailio.start(
                KamailioOptions.defaults()
                    .withUser("line", "line-pw")
                    .withUser("alice", "alice-pw")
                    .withUser("bob", "bob-pw"));
        Baresip alice =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("alice")
                    .withRegistrar(kamailio.hostPort(), "alice-pw"));
        Baresip bob =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("bob")
                    .withRegistrar(kamailio.hostPort(), "bob-pw"));
        JainSipBackend backend = JainSipBackend.start(BackendConfig.loopback().build())) {
      SipUri proxy = SipUri.of(null, "127.0.0.1", kamailio.port());
      SipAccount line =
          backend.register(
              new AccountSpec(
                  SipUri.of("line", "127.0.0.1", kamailio.port()), "line-pw", "line", proxy),
              events);
      events.next(Registered.class);

      SipCall call = line.call(SipUri.of("alice", "127.0.0.1", kamailio.port()), Map.of(), SILENCE);
      assertThat(events.next(Ringing.class, WAIT).statusCode()).isEqualTo(180);
      events.next(Connected.class, WAIT);
      alice.awaitEvent("CALL_ESTABLISHED", WAIT);

      call.transfer(SipUri.of("bob", "127.0.0.1", kamailio.port()), Map.of());
      events.next(TransferAccepted.class, WAIT);
      events.next(TransferSucceeded.class, WAIT);
      Ended ended = events.next(Ended.class, WAIT);
      assertThat(ended.cause()).isEqualTo(CallEnd.TRANSFERRED);

      BaresipEvent atBob = bob.awaitEvent("CALL_ESTABLISHED", WAIT);
      assertThat(atBob.peerUri()).contains("alice");
    }
  }
}
