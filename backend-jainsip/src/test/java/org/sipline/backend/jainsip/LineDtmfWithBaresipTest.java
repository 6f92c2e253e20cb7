package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.StatusType;
import org.sipline.core.media.CallSelector;
import org.sipline.core.media.ConverseOptions;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.MediaStream;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.testing.StatusProbe;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipEvent;
import org.sipline.testing.peers.BaresipOptions;

/**
 * DTMF through the whole stack, core included: a line on the jainsip backend calls baresip, a
 * Converse stream hears the digits baresip sends ({@code Dtmf} START and END with the duration) and
 * sends digits baresip hears ({@code DtmfSent} per digit, RFC 4733).
 */
class LineDtmfWithBaresipTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aConverseStreamHearsAndSendsDigitsOnARealCall() throws Exception {
    try (ScriptedSipPeer registrar = new ScriptedSipPeer();
        JainSipBackend backend = JainSipBackend.start(BackendConfig.loopback().build());
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("keys"));
        Line line = Line.open(backend, LineConfig.defaults());
        StatusProbe probe = new StatusProbe(line)) {
      registrar.answerEverything(200);
      String account = "line@" + registrar.hostPort();
      assertThat(get(line.registerAccount(account, "pw", "", "")).type())
          .isEqualTo(StatusType.REGISTERED);
      get(line.startSession(account, 0));
      get(line.startCall("keys@127.0.0.1:" + phone.port(), Map.of()));
      probe.await(StatusType.OUTGOING_CALL_CONNECTED, WAIT);
      phone.awaitEvent("CALL_ESTABLISHED", WAIT);
      Events stream =
          new Events(line.media().converse(ConverseOptions.defaults(CallSelector.CURRENT)));

      assertThat(phone.command("sndcode", "7#").ok()).isTrue();
      List<MediaEvent.Dtmf> heard = new ArrayList<>();
      for (MediaEvent e :
          stream.until(e -> e instanceof MediaEvent.Dtmf d && d.digit() == '#' && d.end())) {
        if (e instanceof MediaEvent.Dtmf d) {
          heard.add(d);
        }
      }
      assertThat(heard).extracting(MediaEvent.Dtmf::digit).containsExactly('7', '7', '#', '#');
      assertThat(heard).extracting(MediaEvent.Dtmf::end).containsExactly(false, true, false, true);
      assertThat(heard).extracting(MediaEvent.Dtmf::source).containsOnly(DtmfMethod.RFC4733);
      assertThat(heard.get(1).durationMs()).isBetween(170, 190); // libre: 9 × 20 ms
      assertThat(heard.get(3).durationMs()).isBetween(170, 190);

      stream.stream.sendDtmf("42", 100, 60);
      List<MediaEvent.DtmfSent> sent = new ArrayList<>();
      for (MediaEvent e :
          stream.until(e -> e instanceof MediaEvent.DtmfSent s && s.digit() == '2')) {
        if (e instanceof MediaEvent.DtmfSent s) {
          sent.add(s);
        }
      }
      assertThat(sent).extracting(MediaEvent.DtmfSent::digit).containsExactly('4', '2');
      assertThat(sent).extracting(MediaEvent.DtmfSent::method).containsOnly(DtmfMethod.RFC4733);
      await()
          .atMost(WAIT)
          .until(() -> phone.events().stream().filter(e -> e.is("CALL_DTMF_END")).count() == 2);
      assertThat(
              phone.events().stream()
                  .filter(e -> e.is("CALL_DTMF_START"))
                  .map(BaresipEvent::param)
                  .toList())
          .containsExactly("4", "2");

      get(line.endCall(false));
      probe.await(StatusType.OUTGOING_CALL_FINISHED, WAIT);
      get(line.shutdown());
    }
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** A stream's events, polled as the stream says they are available. */
  private static final class Events {
    final MediaStream stream;
    private final Semaphore available = new Semaphore(0);

    Events(MediaStream stream) {
      this.stream = stream;
      stream.onAvailable(available::release);
    }

    /** Every event up to and including the first that {@code last} accepts. */
    List<MediaEvent> until(Predicate<MediaEvent> last) throws InterruptedException {
      List<MediaEvent> seen = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        MediaEvent e = stream.poll();
        if (e == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !available.tryAcquire(left, TimeUnit.NANOSECONDS)) {
            throw new AssertionError("waited " + WAIT + "; events: " + summary(seen));
          }
          continue;
        }
        seen.add(e);
        if (last.test(e)) {
          return seen;
        }
      }
    }

    private static List<String> summary(List<MediaEvent> events) {
      return events.stream()
          .filter(e -> !(e instanceof MediaEvent.AudioIn))
          .map(Object::toString)
          .toList();
    }
  }
}
