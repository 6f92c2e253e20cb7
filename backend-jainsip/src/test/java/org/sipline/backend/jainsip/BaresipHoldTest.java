package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.HoldChanged;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;

/**
 * baresip holds the call ({@code hold}: its re-INVITE says sendonly) and takes it back ({@code
 * resume}): both are reported, and our RTP stops while held and starts again (RFC 3264 §8.4): the
 * pacer's frames, which our source counts, go on, none of them on the wire, while the RTP sent
 * stays where it was (baresip itself sends nothing while it holds).
 */
class BaresipHoldTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** 25 of our 20 ms frames: half a second of hold, by the pacer's clock. */
  private static final long HELD_FOR_FRAMES = 25;

  /** Silence that counts the frames the pacer took and did not put on the wire. */
  private static final class CountingSilence implements AudioSource {
    final AtomicLong notOnWire = new AtomicLong();

    @Override
    public boolean read(short[] frame) {
      return AudioSource.SILENCE.read(frame);
    }

    @Override
    public void sent(boolean onWire) {
      if (!onWire) {
        notOnWire.incrementAndGet();
      }
    }
  }

  @Test
  void baresipsHoldStopsOurRtpAndItsResumeStartsItAgain() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    try (JainSipTestLine fixture = JainSipTestLine.start("holder", b -> b, events);
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("hold-phone"))) {
      SipAccount line = fixture.account;
      CountingSilence source = new CountingSilence();
      SipCall call =
          line.call(
              SipUri.of(phone.user(), "127.0.0.1", phone.port()),
              Map.of(),
              new CallMedia(source, AudioSink.DISCARD));
      events.next(Ringing.class, WAIT);
      events.next(Connected.class, WAIT);
      phone.awaitEvent("CALL_ESTABLISHED", WAIT);
      await(call, s -> s.packetsSent() >= 10);

      phone.command("hold", "");
      HoldChanged held = events.next(HoldChanged.class, WAIT);
      assertThat(held.held()).isTrue();
      assertThat(held.description()).startsWith("call held by the far end (INVITE with a=");
      long sentWhenHeld = call.rtpStatistics().packetsSent();
      long unsentWhenHeld = source.notOnWire.get();
      await(call, s -> source.notOnWire.get() >= unsentWhenHeld + HELD_FOR_FRAMES);
      // A frame already under way when the hold came may still have gone out.
      assertThat(call.rtpStatistics().packetsSent()).isBetween(sentWhenHeld, sentWhenHeld + 1);

      phone.command("resume", "");
      HoldChanged resumed = events.next(HoldChanged.class, WAIT);
      assertThat(resumed.held()).isFalse();
      assertThat(resumed.description())
          .isEqualTo("call resumed by the far end (INVITE with a=sendrecv)");
      long sentWhenResumed = call.rtpStatistics().packetsSent();
      await(call, s -> s.packetsSent() >= sentWhenResumed + 10);

      call.hangup();
      events.next(Ended.class, WAIT);
    }
  }

  private static void await(SipCall call, java.util.function.Predicate<RtpStatistics> until) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RtpStatistics s = call.rtpStatistics();
    while (!until.test(s)) {
      assertThat(System.nanoTime() - deadline).as("waiting on %s", s).isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      s = call.rtpStatistics();
    }
  }
}
