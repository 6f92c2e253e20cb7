package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
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

/**
 * An ended call lets go of the media the core gave it (its playback queue, its caller-audio
 * history: ~48 KB a call), although the call object itself stays reachable for a while — the
 * backend keeps it to absorb late messages of its dialog, the stack keeps the dialog and its
 * transactions, and here the test holds it too. Kept media made the live heap grow with the call
 * rate (issue 16: 770 ended calls with their media graphs ~800 calls into a run), and every young
 * GC pause copied it.
 */
class EndedCallRetentionTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final long GC_BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

  @Test
  void anEndedCallKeepsNoMediaWhileTheCallItselfIsStillHeld() throws Exception {
    try (ScriptedSipPeer registrar = new ScriptedSipPeer();
        JainSipBackend backend =
            JainSipBackend.start(
                BackendConfig.loopback()
                    // The lines call each other directly, not through the registrar.
                    .options(Map.of(BackendOptions.TRUSTED_SOURCES, "127.0.0.1"))
                    .build())) {
      registrar.answerEverything(200);
      RecordingSipEventListener aliceEvents = new RecordingSipEventListener();
      RecordingSipEventListener bobEvents = new RecordingSipEventListener();
      SipAccount alice = line(backend, registrar, "alice", aliceEvents);
      line(backend, registrar, "bob", bobEvents);
      SipUri bob = SipUri.of("bob", "127.0.0.1", backend.sipPort());

      Media bye = call(alice, aliceEvents, bobEvents, bob, false);
      Media hard = call(alice, aliceEvents, bobEvents, bob, true);

      for (Media m : new Media[] {bye, hard}) {
        awaitCollected(m.caller, m.how + ": the caller's media");
        awaitCollected(m.callee, m.how + ": the callee's media");
      }
      // Still held (by the test, and by the backend for late messages): only their media went.
      assertThat(bye.calls).allSatisfy(c -> assertThat(c.callId()).isNotEmpty());
      assertThat(hard.calls).allSatisfy(c -> assertThat(c.callId()).isNotEmpty());
    }
  }

  /** Weak references to both legs' media of one ended call, and the two legs themselves. */
  private record Media(
      String how,
      WeakReference<AudioSink> caller,
      WeakReference<AudioSink> callee,
      SipCall[] calls) {}

  /**
   * One call from alice to bob, both legs with media that only the backend references, answered at
   * once and ended by the caller: BYE, or a hard hangup ({@code terminate()}).
   */
  private static Media call(
      SipAccount alice,
      RecordingSipEventListener aliceEvents,
      RecordingSipEventListener bobEvents,
      SipUri bob,
      boolean hard)
      throws InterruptedException {
    CallMedia callerMedia = new CallMedia(AudioSource.SILENCE, new OwnSink());
    CallMedia calleeMedia = new CallMedia(AudioSource.SILENCE, new OwnSink());
    SipCall call = alice.call(bob, Map.of(), callerMedia);
    SipCall incoming = bobEvents.next(Incoming.class, WAIT).call();
    incoming.answer(calleeMedia);
    bobEvents.next(Connected.class, WAIT);
    RecordingSipEventListener.Event first =
        aliceEvents.next(RecordingSipEventListener.Event.class, WAIT);
    if (!(first instanceof Connected)) {
      aliceEvents.next(Connected.class, WAIT);
    }
    if (hard) {
      call.terminate();
      assertThat(aliceEvents.next(Ended.class, WAIT).cause()).isEqualTo(CallEnd.LOCAL_TERMINATE);
    } else {
      call.hangup();
      assertThat(aliceEvents.next(Ended.class, WAIT).cause()).isEqualTo(CallEnd.LOCAL_BYE);
    }
    assertThat(bobEvents.next(Ended.class, WAIT).cause()).isEqualTo(CallEnd.REMOTE_BYE);
    return new Media(
        hard ? "hard hangup" : "BYE",
        new WeakReference<>(callerMedia.sink()),
        new WeakReference<>(calleeMedia.sink()),
        new SipCall[] {call, incoming});
  }

  private static void awaitCollected(WeakReference<?> ref, String what) {
    long deadline = System.nanoTime() + GC_BOUND_NANOS;
    while (true) {
      System.gc();
      if (ref.get() == null) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + " is still reachable after the call ended and GC ran");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  private static SipAccount line(
      JainSipBackend backend,
      ScriptedSipPeer registrar,
      String user,
      RecordingSipEventListener events)
      throws InterruptedException {
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "x", user, null),
            events);
    events.next(Registered.class, WAIT);
    return account;
  }

  /**
   * A sink of the call's own (a new instance per leg): what references it is what references the
   * call's media, in the backend's call or in its RTP.
   */
  private static final class OwnSink implements AudioSink {
    @Override
    public void write(short[] pcm, int offset, int length) {}
  }
}
