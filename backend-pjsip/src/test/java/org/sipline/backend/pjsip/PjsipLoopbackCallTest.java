package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;

/**
 * Two accounts of one pjsua instance call each other over loopback: the whole native path (shim,
 * event queue, audio port, G.711 RTP) without any other program. The "registrar" is a UDP socket
 * that never answers, which also proves the REGISTER bound.
 */
class PjsipLoopbackCallTest {
  private static final Duration EVENT_BOUND = Duration.ofSeconds(5);

  private DatagramSocket silentRegistrar;
  private PjsipBackend backend;
  private final RecordingListener alice = new RecordingListener();
  private final RecordingListener bob = new RecordingListener();
  private SipAccount aliceAccount;

  @BeforeEach
  void start() throws Exception {
    NativeShimAvailable.assume();
    silentRegistrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    backend =
        (PjsipBackend)
            new PjsipBackendProvider()
                .create(BackendConfig.loopback().registerTimeout(Duration.ofMillis(1500)).build());
    int registrarPort = silentRegistrar.getLocalPort();
    aliceAccount =
        backend.register(
            new AccountSpec(
                SipUri.of("alice", "127.0.0.1", registrarPort), "secret", "alice", null),
            alice);
    // bob's account is only there to be registered: the tests follow alice's.
    backend.register(
        new AccountSpec(SipUri.of("bob", "127.0.0.1", registrarPort), "secret", "bob", null), bob);
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (silentRegistrar != null) {
      silentRegistrar.close();
    }
  }

  @Test
  void anUnansweredRegisterFailsWithinTheConfiguredBoundNotPjsuasThirtyTwoSeconds()
      throws Exception {
    long start = System.nanoTime();

    assertThat(alice.next(EVENT_BOUND))
        .isEqualTo("registrationFailed no final response to REGISTER within 1500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aCallConnectsCarriesAudioBothWaysAndEndsWithByeOnBothSides() throws Exception {
    drainRegistrationFailures();
    AtomicLong bobHeardLoud = new AtomicLong();
    AtomicLong aliceHeardLoud = new AtomicLong();
    SipCall out =
        aliceAccount.call(
            SipUri.of("bob", "127.0.0.1", backend.sipPort()),
            Map.of("X-Campaign", "spring"),
            new CallMedia(tone(8000), loudFrames(aliceHeardLoud)));

    // pjsip writes From without the account's port (it prints URIs in From/To that way).
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("incomingCall alice@127.0.0.1");
    assertThat(bob.lastIncomingInfo.headers()).containsEntry("X-Campaign", "spring");
    assertThat(bob.lastIncoming.callId()).isEqualTo(out.callId());
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callRinging 180");
    bob.lastIncoming.answer(new CallMedia(tone(-8000), loudFrames(bobHeardLoud)));
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callConnected");
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callConnected");

    awaitAtLeast(bobHeardLoud, 25, EVENT_BOUND);
    awaitAtLeast(aliceHeardLoud, 25, EVENT_BOUND);
    out.hangup();

    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callEnded LOCAL_BYE");
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callEnded REMOTE_BYE");
  }

  @Test
  void digitsSentOnOneSideArriveOnTheOtherOnceEachWithTheirDurations() throws Exception {
    drainRegistrationFailures();
    MediaProbe aliceSide = new MediaProbe();
    MediaProbe bobSide = new MediaProbe();
    SipCall out =
        aliceAccount.call(
            SipUri.of("bob", "127.0.0.1", backend.sipPort()), Map.of(), aliceSide.media());
    assertThat(bob.next(EVENT_BOUND)).startsWith("incomingCall");
    bob.lastIncoming.answer(bobSide.media());
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callRinging 180");
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callConnected");
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callConnected");

    assertThat(out.sendDtmf('2', 80).get(5, TimeUnit.SECONDS)).isEqualTo(DtmfMethod.RFC4733);
    assertThat(out.sendDtmf('2', 200).get(5, TimeUnit.SECONDS)).isEqualTo(DtmfMethod.RFC4733);
    assertThat(bob.lastIncoming.sendDtmf('*', 140).get(5, TimeUnit.SECONDS))
        .isEqualTo(DtmfMethod.RFC4733);

    assertThat(bobSide.nextDtmf(EVENT_BOUND)).isEqualTo(DtmfEvent.start('2', DtmfMethod.RFC4733));
    assertThat(bobSide.nextDtmf(EVENT_BOUND)).isEqualTo(DtmfEvent.end('2', 80, DtmfMethod.RFC4733));
    assertThat(bobSide.nextDtmf(EVENT_BOUND)).isEqualTo(DtmfEvent.start('2', DtmfMethod.RFC4733));
    assertThat(bobSide.nextDtmf(EVENT_BOUND))
        .isEqualTo(DtmfEvent.end('2', 200, DtmfMethod.RFC4733));
    assertThat(aliceSide.nextDtmf(EVENT_BOUND)).isEqualTo(DtmfEvent.start('*', DtmfMethod.RFC4733));
    assertThat(aliceSide.nextDtmf(EVENT_BOUND))
        .isEqualTo(DtmfEvent.end('*', 140, DtmfMethod.RFC4733));
    assertThat(bobSide.pollDtmf(Duration.ofMillis(300))).isNull();
    assertThat(aliceSide.pollDtmf(Duration.ofMillis(1))).isNull();
    assertThat(aliceSide.violations()).isEmpty();
    assertThat(bobSide.violations()).isEmpty();
    out.hangup();
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callEnded LOCAL_BYE");
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callEnded REMOTE_BYE");
  }

  @Test
  void silenceStillTravelsAsRtpEvery20MsBecauseVadIsOff() throws Exception {
    drainRegistrationFailures();
    aliceAccount.call(
        SipUri.of("bob", "127.0.0.1", backend.sipPort()),
        Map.of(),
        new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(bob.next(EVENT_BOUND)).startsWith("incomingCall");
    bob.lastIncoming.answer(new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callConnected");
    PjsipCall answered = (PjsipCall) bob.lastIncoming;
    long start = System.nanoTime();
    Awaitility.await().atMost(EVENT_BOUND).until(() -> backend.rtpPacketsReceived(answered) >= 0);
    long first = backend.rtpPacketsReceived(answered);

    Awaitility.await()
        .atMost(EVENT_BOUND)
        .until(() -> backend.rtpPacketsReceived(answered) >= first + 50);

    // 50 packets of silence take one second at 20 ms each: not much less (no bursts), and
    // not far more (no suppression).
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
  }

  @Test
  void closingTheBackendEndsLiveCallsWithTheirTerminalEvent() throws Exception {
    drainRegistrationFailures();
    aliceAccount.call(
        SipUri.of("bob", "127.0.0.1", backend.sipPort()),
        Map.of(),
        new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(bob.next(EVENT_BOUND)).startsWith("incomingCall");
    bob.lastIncoming.answer(new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callRinging 180");
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callConnected");
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callConnected");

    backend.close();

    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callEnded ERROR");
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callEnded ERROR");
    assertThat(alice.poll(Duration.ofMillis(300))).isNull();
    assertThatThrownBy(
            () ->
                aliceAccount.call(
                    SipUri.of("bob", "127.0.0.1", 5999),
                    Map.of(),
                    new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pjsip backend is closed");
  }

  @Test
  void aRejectedCallFailsWithTheRejectCode() throws Exception {
    drainRegistrationFailures();
    aliceAccount.call(
        SipUri.of("bob", "127.0.0.1", backend.sipPort()),
        Map.of(),
        new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(bob.next(EVENT_BOUND)).startsWith("incomingCall");

    bob.lastIncoming.reject(486, "Busy Here");

    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callRinging 180");
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callFailed 486 Busy Here");
    assertThat(bob.next(EVENT_BOUND)).startsWith("callFailed 486");
  }

  @Test
  void aHardHangupEndsTheCallLocallyAtOnceAndTheFarEndSeesBye() throws Exception {
    drainRegistrationFailures();
    SipCall out =
        aliceAccount.call(
            SipUri.of("bob", "127.0.0.1", backend.sipPort()),
            Map.of(),
            new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(bob.next(EVENT_BOUND)).startsWith("incomingCall");
    bob.lastIncoming.answer(new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callRinging 180");
    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callConnected");

    out.terminate();

    assertThat(alice.next(EVENT_BOUND)).isEqualTo("callEnded LOCAL_TERMINATE");
    assertThat(alice.poll(Duration.ofMillis(500))).isNull();
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callConnected");
    assertThat(bob.next(EVENT_BOUND)).isEqualTo("callEnded REMOTE_BYE");
  }

  private void drainRegistrationFailures() throws InterruptedException {
    assertThat(alice.next(EVENT_BOUND)).startsWith("registrationFailed");
    assertThat(bob.next(EVENT_BOUND)).startsWith("registrationFailed");
  }

  /** A square wave of the given amplitude: unmistakably not silence after G.711. */
  private static AudioSource tone(int amplitude) {
    AtomicInteger phase = new AtomicInteger();
    return frame -> {
      for (int i = 0; i < AudioFrames.FRAME_SAMPLES; i++) {
        frame[i] = (short) ((phase.getAndIncrement() / 4) % 2 == 0 ? amplitude : -amplitude);
      }
      return true;
    };
  }

  private static AudioSink loudFrames(AtomicLong counter) {
    return (pcm, offset, length) -> {
      int peak = 0;
      for (int i = offset; i < offset + length; i++) {
        peak = Math.max(peak, Math.abs(pcm[i]));
      }
      if (peak > 4000) {
        counter.incrementAndGet();
      }
    };
  }

  private static void awaitAtLeast(AtomicLong counter, long n, Duration bound) {
    Awaitility.await("loud frames received")
        .atMost(bound)
        .untilAsserted(() -> assertThat(counter.get()).isGreaterThanOrEqualTo(n));
  }
}
