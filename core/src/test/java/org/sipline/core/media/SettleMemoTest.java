package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.media.MediaRig.FRAME;
import static org.sipline.core.media.MediaRig.constant;
import static org.sipline.core.media.MediaRig.drain;
import static org.sipline.core.media.MediaRig.le;
import static org.sipline.core.media.MediaRig.only;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;

/**
 * {@link CallAudio#settle} skips a settle whose inputs did not change since the last one (issue 11:
 * 500 Listen streams each polling once a frame walked 500 × 500 streams a frame under the call's
 * lock). The skip must cost nothing in events: every stream gets exactly what it got without it.
 */
class SettleMemoTest {
  private static final ListenOptions LISTEN = new ListenOptions(CallSelector.CURRENT, null, 0, 0);

  @Test
  void manyListenersPollingEveryFrameWalkTheStreamsOncePerFrame() {
    int n = 300;
    try (MediaRig rig = new MediaRig().connected()) {
      List<MediaStream> taps = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        taps.add(rig.hub.listen(LISTEN));
      }
      rig.call.play(List.of(constant(FRAME * 100, 100)));
      List<List<MediaEvent>> events = new ArrayList<>();
      for (MediaStream t : taps) {
        events.add(new ArrayList<>(drain(t)));
      }
      int frames = 50;
      for (int f = 0; f < frames; f++) {
        rig.tick(1);
        // Caller audio too: each stream then has a frame to take, and polls until null.
        rig.media.sink().write(constant(FRAME, 7), 0, FRAME);
        long before = rig.call.settleSteps;
        for (int i = 0; i < n; i++) {
          events.get(i).addAll(drain(taps.get(i)));
        }
        assertThat(rig.call.settleSteps - before)
            .as("settle loop steps in frame %d for %d streams each polling until empty", f, n)
            .isLessThanOrEqualTo(n);
      }
      // Every tap still hears every report: every 100 ms (5 frames) of play.
      for (List<MediaEvent> e : events) {
        assertThat(only(e, MediaEvent.Playout.class))
            .extracting(MediaEvent.Playout::position)
            .containsExactly(800L, 1600L, 2400L, 3200L, 4000L, 4800L, 5600L, 6400L, 7200L, 8000L);
        assertThat(only(e, MediaEvent.AudioIn.class)).hasSize(frames);
      }
      List<String> first = events.get(0).stream().map(SettleMemoTest::normal).toList();
      assertThat(events)
          .allSatisfy(e -> assertThat(e.stream().map(SettleMemoTest::normal)).isEqualTo(first));

      // The counter counts what it claims: without the memo each poll walks every stream.
      rig.call.memoize = false;
      rig.tick(1);
      long before = rig.call.settleSteps;
      for (MediaStream t : taps) {
        drain(t);
      }
      assertThat(rig.call.settleSteps - before).isGreaterThanOrEqualTo((long) n * n);
    }
  }

  @Test
  void aListenerJoiningBetweenTwoFramesIsWokenWhenItsFirstReportIsDue() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream writer =
          rig.hub.converse(
              new ConverseOptions(CallSelector.CURRENT, null, null, 0, 0, 0, 10_000, false, ""));
      drain(writer);
      rig.call.play(List.of(constant(FRAME * 100, 100)));
      rig.tick(3);
      drain(writer); // settled at 480: the writer's next report is due at 80,000
      MediaStream tap = rig.hub.listen(LISTEN);
      drain(tap); // same timeline position, same queue: only the streams changed
      int[] woken = new int[1];
      tap.onAvailable(() -> woken[0]++);
      rig.tick(4);
      assertThat(woken[0]).as("woken before its report is due at 1280").isZero();
      rig.tick(1);
      assertThat(woken[0]).as("woken when its report is due at 1280").isOne();
      assertThat(only(drain(tap), MediaEvent.Playout.class))
          .extracting(MediaEvent.Playout::position)
          .containsExactly(1280L);
    }
  }

  @Test
  void aWriterOverItsCapIsWokenWhenTheQueueIsBackUnderHalf() {
    try (MediaRig rig = new MediaRig().connected()) {
      MediaStream writer =
          rig.hub.converse(
              new ConverseOptions(CallSelector.CURRENT, null, null, 0, 0, 1000, 10_000, false, ""));
      drain(writer);
      writer.audio("u1", le(constant(7000, 1)), false); // 875 ms of 1000: xoff
      assertThat(only(drain(writer), MediaEvent.Flow.class))
          .containsExactly(new MediaEvent.Flow(3, true, 875));
      int[] woken = new int[1];
      writer.onAvailable(() -> woken[0]++);
      rig.tick(18); // 7000 - 2880 = 4120 samples: 515 ms, not yet under half
      assertThat(woken[0]).isZero();
      rig.tick(1); // 3960: 495 ms
      assertThat(woken[0]).isOne();
      assertThat(only(drain(writer), MediaEvent.Flow.class))
          .containsExactly(new MediaEvent.Flow(4, false, 495));
    }
  }

  @Test
  void everyStreamGetsTheSameEventsWithAndWithoutTheMemo() {
    for (long seed = 1; seed <= 40; seed++) {
      List<List<String>> with = run(seed, true);
      List<List<String>> without = run(seed, false);
      assertThat(with).as("seed %d", seed).isEqualTo(without);
      assertThat(with.stream().mapToInt(List::size).sum()).as("seed %d", seed).isPositive();
    }
  }

  /** One random call: a writer, listeners coming and going, the pacer, caller audio and digits. */
  private static List<List<String>> run(long seed, boolean memoize) {
    Random r = new Random(seed);
    try (MediaRig rig = new MediaRig()) {
      List<MediaStream> streams = new ArrayList<>();
      List<List<String>> events = new ArrayList<>();
      // The smallest cap, the shortest playout interval: flow control and reports happen often.
      MediaStream writer =
          rig.hub.converse(
              new ConverseOptions(CallSelector.NEXT, null, null, 0, 0, 1000, 20, false, ""));
      streams.add(writer);
      streams.add(rig.hub.listen(new ListenOptions(CallSelector.NEXT, null, 0, 0)));
      for (int i = 0; i < streams.size(); i++) {
        events.add(wakeable(streams.get(i)));
      }
      rig.setUp();
      rig.call.memoize = memoize;
      int utterance = 0;
      int mark = 0;
      boolean connected = false;
      for (int step = 0; step < 400; step++) {
        int op = r.nextInt(100);
        if (op < 4 && !connected) {
          rig.call.connected();
          connected = true;
        } else if (op < 8 && connected && streams.size() < 12) {
          streams.add(rig.hub.listen(LISTEN));
          events.add(wakeable(streams.get(streams.size() - 1)));
        } else if (op < 10 && streams.size() > 2) {
          int i = 2 + r.nextInt(streams.size() - 2);
          streams.get(i).close();
        } else if (op < 22) {
          writer.audio(
              "u" + utterance,
              le(constant(FRAME / 2 + r.nextInt(15 * FRAME), step)),
              r.nextInt(3) == 0);
          if (r.nextInt(4) == 0) {
            utterance++;
          }
        } else if (op < 26) {
          writer.mark("m" + mark++);
        } else if (op < 28) {
          writer.pause();
        } else if (op < 31) {
          writer.resume();
        } else if (op < 33) {
          writer.clear("");
          utterance++;
        } else if (op < 35) {
          rig.call.play(List.of(constant(FRAME + r.nextInt(4 * FRAME), 9)));
        } else if (op < 50) {
          rig.tick(1 + r.nextInt(3));
        } else if (op < 52) {
          rig.skip(1 + r.nextInt(2));
        } else if (op < 54) {
          rig.tickNotOnWire();
        } else if (op < 60) {
          rig.media.sink().write(constant(FRAME, step), 0, FRAME);
        } else if (op < 62) {
          char digit = "0123456789*#".charAt(r.nextInt(12));
          rig.media.sink().dtmf(DtmfEvent.start(digit, DtmfMethod.RFC4733));
          rig.media.sink().dtmf(DtmfEvent.end(digit, 80, DtmfMethod.RFC4733));
        } else {
          int i = r.nextInt(streams.size());
          int polls = 1 + r.nextInt(3);
          for (int k = 0; k < polls; k++) {
            MediaEvent e = streams.get(i).poll();
            if (e == null) {
              break;
            }
            events.get(i).add(normal(e));
          }
        }
      }
      rig.call.ended(200, "BYE");
      for (int i = 0; i < streams.size(); i++) {
        for (MediaEvent e : drain(streams.get(i))) {
          events.get(i).add(normal(e));
        }
      }
      return events;
    }
  }

  /**
   * The list a stream's events go to, with its wake-ups in their place: a settle skipped wrongly
   * shows first as a wake-up missed (the queue's wake-ups are re-armed by each settle that runs).
   */
  private static List<String> wakeable(MediaStream s) {
    List<String> events = new ArrayList<>();
    s.onAvailable(() -> events.add("wake"));
    return events;
  }

  /** What may differ between two runs of one scenario goes: call ids, tokens, clear latency. */
  private static String normal(MediaEvent e) {
    if (e instanceof MediaEvent.Opened o) {
      return "Opened " + o.sequence() + " " + o.resumed() + " " + o.position();
    }
    if (e instanceof MediaEvent.AudioIn a) {
      return "AudioIn "
          + a.position()
          + " "
          + Arrays.toString(a.data())
          + " "
          + a.concealedSamples()
          + " "
          + a.droppedSamples()
          + " "
          + a.replayed();
    }
    if (e instanceof MediaEvent.Statistics s) {
      StreamCounters c = s.counters();
      return new MediaEvent.Statistics(
              s.sequence(),
              new StreamCounters(
                  c.framesSent(),
                  c.framesDropped(),
                  c.maxLagMs(),
                  c.queuedMs(),
                  c.underruns(),
                  c.chunksRejected(),
                  c.marksPlayed(),
                  c.marksCleared(),
                  0,
                  c.digitsIn(),
                  c.digitsOut(),
                  c.concealedSamples(),
                  c.playedSamples()))
          .toString();
    }
    return e.toString();
  }
}
