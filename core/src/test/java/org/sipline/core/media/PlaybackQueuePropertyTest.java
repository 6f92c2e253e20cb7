package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.sipline.core.media.PlaybackResult.Outcome;
import org.sipline.core.spi.AudioFrames;

/**
 * Random interleavings of enqueue, read, cancel, mute and the call's end against a plain model of
 * the queue: every frame, every return value and every result must be what the model says.
 */
class PlaybackQueuePropertyTest {
  private static final int FRAME = AudioFrames.FRAME_SAMPLES;

  sealed interface Op {}

  record Enqueue(List<Integer> clipLengths) implements Op {}

  record Read(int frames) implements Op {}

  record Cancel(int which, boolean viaFuture) implements Op {}

  record Mute(boolean on) implements Op {}

  record InterruptAll() implements Op {}

  @Provide
  Arbitrary<List<Op>> scripts() {
    Arbitrary<Op> enqueue =
        Arbitraries.integers()
            .between(0, 400)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .filter(l -> l.stream().mapToInt(Integer::intValue).sum() > 0)
            .map(Enqueue::new);
    Arbitrary<Op> read = Arbitraries.integers().between(1, 4).map(Read::new);
    Arbitrary<Op> cancel =
        Combinators.combine(Arbitraries.integers().between(0, 30), Arbitraries.of(true, false))
            .as(Cancel::new);
    Arbitrary<Op> mute = Arbitraries.of(true, false).map(Mute::new);
    Arbitrary<Op> interrupt = Arbitraries.just(new InterruptAll());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, enqueue),
            net.jqwik.api.Tuple.of(6, read),
            net.jqwik.api.Tuple.of(2, cancel),
            net.jqwik.api.Tuple.of(1, mute),
            net.jqwik.api.Tuple.of(1, interrupt))
        .list()
        .ofMaxSize(40);
  }

  /** What the queue should hold: requests with their samples and how far they got. */
  private static final class ModelRequest {
    final Playback handle;
    final short[] samples;
    int position;
    PlaybackResult expected;

    ModelRequest(Playback handle, short[] samples) {
      this.handle = handle;
      this.samples = samples;
    }
  }

  @Property(tries = 600)
  void theQueueBehavesLikeItsModel(@ForAll("scripts") List<Op> script) {
    PlaybackQueue queue = new PlaybackQueue(Runnable::run); // completes synchronously: checkable
    List<ModelRequest> all = new ArrayList<>();
    List<ModelRequest> queued = new ArrayList<>();
    boolean muted = false;
    boolean ended = false; // the call ended: the queue takes nothing more
    short next = 1;
    short[] frame = new short[FRAME];
    for (Op op : script) {
      if (op instanceof Enqueue e) {
        List<short[]> clips = new ArrayList<>();
        short[] flat = new short[0];
        for (int length : e.clipLengths()) {
          short[] clip = new short[length];
          for (int i = 0; i < length; i++) {
            clip[i] = next;
            next = (short) (next == Short.MAX_VALUE ? 1 : next + 1); // never 0: padding is 0
          }
          clips.add(clip);
          flat = concat(flat, clip);
        }
        ModelRequest r = new ModelRequest(queue.enqueue(clips), flat);
        all.add(r);
        if (ended) {
          r.expected = new PlaybackResult(0, flat.length, Outcome.INTERRUPTED);
        } else {
          queued.add(r);
        }
      } else if (op instanceof Read read) {
        for (int f = 0; f < read.frames(); f++) {
          short[] expected = new short[FRAME];
          int filled = 0;
          while (filled < FRAME && !queued.isEmpty()) {
            ModelRequest head = queued.get(0);
            int n = Math.min(FRAME - filled, head.samples.length - head.position);
            if (!muted) {
              System.arraycopy(head.samples, head.position, expected, filled, n);
            }
            head.position += n;
            filled += n;
            if (head.position == head.samples.length) {
              queued.remove(0);
              head.expected =
                  new PlaybackResult(head.position, head.samples.length, Outcome.PLAYED);
            }
          }
          boolean audible = queue.read(frame);
          queue.sent(true);
          if (!Arrays.equals(frame, expected)) {
            assertThat(frame).containsExactly(expected); // says where they differ
          }
          assertThat(audible).isEqualTo(filled > 0 && !muted);
        }
      } else if (op instanceof Cancel c) {
        if (all.isEmpty()) {
          continue;
        }
        ModelRequest r = all.get(c.which() % all.size());
        if (queued.remove(r)) {
          r.expected = new PlaybackResult(r.position, r.samples.length, Outcome.CANCELLED);
        }
        if (c.viaFuture()) {
          r.handle.completion().cancel(true);
        } else {
          r.handle.cancel();
        }
      } else if (op instanceof Mute m) {
        muted = m.on();
        queue.setMuted(muted);
      } else if (op instanceof InterruptAll) {
        for (ModelRequest r : queued) {
          r.expected = new PlaybackResult(r.position, r.samples.length, Outcome.INTERRUPTED);
        }
        queued.clear();
        queue.endCall();
        ended = true;
      }
      for (ModelRequest r : all) {
        var completion = r.handle.completion();
        boolean asModelled =
            r.expected == null
                ? !completion.isDone()
                : completion.isCancelled() || r.expected.equals(completion.getNow(null));
        if (!asModelled) {
          throw new AssertionError(
              "after "
                  + op
                  + ": "
                  + r.handle
                  + " is "
                  + (completion.isDone() ? completion.getNow(null) : "pending")
                  + ", model says "
                  + (r.expected == null ? "pending" : r.expected));
        }
      }
    }
  }

  private static short[] concat(short[] a, short[] b) {
    short[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
