package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ringing;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;

/**
 * One call between two of our own lines, answered at once and hung up by the caller, with the
 * events each side must see: the DNS tests' unit of work (a call routed by what a name server
 * said).
 */
final class LineToLineCall {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  private LineToLineCall() {}

  /**
   * Calls {@code callee} from {@code caller}; the line whose listener is {@code calleeEvents}
   * answers; the caller hangs up once both are connected.
   *
   * @return the set-up time: from the call to the caller's Connected, in nanoseconds
   */
  static long callAndHangUp(
      SipAccount caller,
      RecordingSipEventListener callerEvents,
      RecordingSipEventListener calleeEvents,
      SipUri callee)
      throws InterruptedException {
    long started = System.nanoTime();
    SipCall call = caller.call(callee, Map.of(), SILENCE);
    Incoming incoming = calleeEvents.next(Incoming.class, WAIT);
    incoming.call().answer(SILENCE);
    calleeEvents.next(Connected.class, WAIT);
    // A 180 may come first or not at all: the callee answers at once.
    RecordingSipEventListener.Event first =
        callerEvents.next(RecordingSipEventListener.Event.class, WAIT);
    assertThat(first).isInstanceOfAny(Ringing.class, Connected.class);
    if (first instanceof Ringing) {
      callerEvents.next(Connected.class, WAIT);
    }
    long setUp = System.nanoTime() - started;
    call.hangup();
    assertThat(callerEvents.next(Ended.class, WAIT).cause()).isEqualTo(CallEnd.LOCAL_BYE);
    assertThat(calleeEvents.next(Ended.class, WAIT).cause()).isEqualTo(CallEnd.REMOTE_BYE);
    return setUp;
  }
}
