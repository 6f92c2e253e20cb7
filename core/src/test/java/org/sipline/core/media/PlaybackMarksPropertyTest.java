package org.sipline.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.sipline.core.InvalidArgumentException;

/**
 * Random sequences of a writer's chunks (any length, odd ones included), marks, clears and
 * interrupts, pauses, pacer ticks (sent, not sent, skipped) and the call's end, through a real
 * Converse stream. What went out is read back from the frames themselves: every utterance's samples
 * carry a code (32 × a prime) that survives the clear's fade, so each sent sample is attributed to
 * its utterance and its timeline position. Then:
 *
 * <ul>
 *   <li>every mark resolves exactly once, and a mark resolved CLEARED is never PLAYED;
 *   <li>a PLAYED mark's position is exactly one past the timeline position of the last sample
 *       written before it, and PLAYED positions never go back; nor do Playout positions;
 *   <li>Cleared's played count is what was sent of the interrupted utterance, and nothing of a
 *       cleared utterance is sent after its Cleared;
 *   <li>an utterance's end is reported with all its samples sent, at the position after its last;
 *   <li>chunks refused are exactly those of fenced or ended utterances, and only they.
 * </ul>
 */
class PlaybackMarksPropertyTest {
  private static final int[] PRIMES = primes(37, 1021);

  sealed interface Op {}

  /** A chunk of the open utterance, or of a new one. */
  record Chunk(boolean fresh, int bytes, boolean end) implements Op {}

  /** A chunk for an utterance already ended or cleared (it must be refused). */
  record Late(int which, int bytes) implements Op {}

  record SetMark() implements Op {}

  /** Clear through: -1 everything, -2 an unknown id, else the n-th utterance started. */
  record Clear(int which, boolean viaInterrupt) implements Op {}

  record Pause(boolean on) implements Op {}

  record Tick(int frames) implements Op {}

  record NotOnWire() implements Op {}

  record Skip(int frames) implements Op {}

  record End() implements Op {}

  @Provide
  Arbitrary<List<Op>> scripts() {
    Arbitrary<Op> chunk =
        Combinators.combine(
                Arbitraries.of(true, false, false, false),
                Arbitraries.integers().between(0, 700),
                Arbitraries.of(true, false, false))
            .as(Chunk::new);
    Arbitrary<Op> late =
        Combinators.combine(
                Arbitraries.integers().between(0, 40), Arbitraries.integers().between(1, 9))
            .as(Late::new);
    Arbitrary<Op> mark = Arbitraries.just(new SetMark());
    Arbitrary<Op> clear =
        Combinators.combine(
                Arbitraries.integers().between(-2, 40), Arbitraries.of(false, false, true))
            .as(Clear::new);
    Arbitrary<Op> pause = Arbitraries.of(true, false).map(Pause::new);
    Arbitrary<Op> tick = Arbitraries.integers().between(1, 6).map(Tick::new);
    Arbitrary<Op> notOnWire = Arbitraries.just(new NotOnWire());
    Arbitrary<Op> skip = Arbitraries.integers().between(1, 3).map(Skip::new);
    Arbitrary<Op> end = Arbitraries.just(new End());
    return Arbitraries.frequencyOf(
            Tuple.of(8, chunk),
            Tuple.of(1, late),
            Tuple.of(4, mark),
            Tuple.of(2, clear),
            Tuple.of(1, pause),
            Tuple.of(9, tick),
            Tuple.of(1, notOnWire),
            Tuple.of(1, skip),
            Tuple.of(1, end))
        .list()
        .ofMaxSize(45);
  }

  /** What the test knows of one utterance it wrote. */
  private static final class Model {
    final String id;
    final int code;
    long bytes;
    boolean ended;
    boolean fenced;
    boolean started;

    /** Timeline position of each of its samples seen on the wire, in order. */
    final List<Long> sent = new ArrayList<>();

    /** Set by its Cleared: how many of its samples had gone out. */
    Integer clearedAt;

    Model(String id, int code) {
      this.id = id;
      this.code = code;
    }

    long written() {
      return bytes / 2;
    }
  }

  /** A mark set: the utterance last started and its samples written then. */
  private record MarkAnchor(Model utterance, long written) {}

  @Property(tries = 10_000)
  void marksClearsAndPlayedPositionsHoldWhateverTheClientAndThePacerDo(
      @ForAll("scripts") List<Op> script) {
    try (MediaRig rig = new MediaRig().connected()) {
      Run run = new Run(rig);
      run.play(script);
      // What the tries covered, in the report: a property that never interrupts proves little.
      net.jqwik.api.statistics.Statistics.label("marks")
          .collect(run.resolved.containsValue(MarkOutcome.PLAYED) ? "some PLAYED" : "none PLAYED");
      net.jqwik.api.statistics.Statistics.label("clears")
          .collect(run.interrupted > 0 ? "interrupted mid-utterance" : "no interruption");
      net.jqwik.api.statistics.Statistics.label("cleared marks")
          .collect(run.resolved.containsValue(MarkOutcome.CLEARED) ? "some" : "none");
    }
  }

  private static final class Run {
    final MediaRig rig;
    final MediaStream stream;
    final List<Model> utterances = new ArrayList<>();
    final Map<Integer, Model> byCode = new HashMap<>();
    final Map<String, MarkAnchor> marks = new HashMap<>();
    final Map<String, MarkOutcome> resolved = new HashMap<>();
    final Set<String> expectRejected = new HashSet<>();
    Model open;
    Model lastStarted;
    boolean ended;
    long lastPlayedMark = Long.MIN_VALUE;
    int interrupted;
    long lastPlayout = Long.MIN_VALUE;
    int nextMark;
    final List<Op> done = new ArrayList<>();

    Run(MediaRig rig) {
      this.rig = rig;
      this.stream =
          rig.hub.converse(org.sipline.core.media.ConverseOptions.defaults(CallSelector.CURRENT));
    }

    void play(List<Op> script) {
      List<Op> all = new ArrayList<>(script);
      all.add(new Tick(3));
      all.add(new End());
      for (Op op : all) {
        done.add(op);
        apply(op);
        events();
        if (ended) {
          break;
        }
      }
      check(
          marks.keySet().equals(resolved.keySet()),
          "every mark resolved: " + marks.keySet() + " vs " + resolved.keySet());
      for (Model u : utterances) {
        if (u.clearedAt != null) {
          check(u.sent.size() == u.clearedAt, u.id + " sent after its Cleared");
        }
      }
      check(stream.isFinished(), "the stream finished with the call");
    }

    void apply(Op op) {
      if (op instanceof Chunk c) {
        Model u = c.fresh() || open == null ? newUtterance() : open;
        write(u, c.bytes(), c.end());
      } else if (op instanceof Late l) {
        List<Model> closed =
            utterances.stream().filter(u -> u.started && (u.ended || u.fenced)).toList();
        if (!closed.isEmpty()) {
          write(closed.get(l.which() % closed.size()), l.bytes(), false);
        }
      } else if (op instanceof SetMark) {
        String id = "m" + nextMark++;
        marks.put(id, new MarkAnchor(lastStarted, lastStarted == null ? 0 : lastStarted.written()));
        stream.mark(id);
      } else if (op instanceof Clear c) {
        clear(c);
      } else if (op instanceof Pause p) {
        if (p.on()) {
          stream.pause();
        } else {
          stream.resume();
        }
      } else if (op instanceof Tick t) {
        for (int i = 0; i < t.frames(); i++) {
          rig.tick(1);
          observe(
              rig.frames.get(rig.frames.size() - 1),
              rig.framePositions.get(rig.framePositions.size() - 1));
        }
      } else if (op instanceof NotOnWire) {
        rig.tickNotOnWire();
      } else if (op instanceof Skip s) {
        rig.skip(s.frames());
      } else if (op instanceof End) {
        rig.call.ended(0, "BYE");
        ended = true;
      }
    }

    Model newUtterance() {
      int n = utterances.size();
      Model u = new Model("u" + n, PRIMES[n % PRIMES.length]);
      utterances.add(u);
      byCode.put(u.code, u);
      if (open != null) {
        open.ended = true; // a new utterance ends the one before it
      }
      return u;
    }

    void write(Model u, int bytes, boolean end) {
      boolean refused = u.fenced || (u.ended && u.started);
      byte[] data = new byte[bytes];
      short value = (short) (32 * u.code);
      for (int i = 0; i < bytes; i++) {
        long at = u.bytes + i; // the utterance's byte stream: every sample holds the same value
        data[i] = at % 2 == 0 ? (byte) value : (byte) (value >> 8);
      }
      if (refused) {
        expectRejected.add(u.id);
      } else {
        u.bytes += bytes;
        if (!u.started) {
          u.started = true;
          lastStarted = u;
        }
        open = u;
        if (end) {
          u.ended = true;
          u.bytes -= u.bytes % 2; // half a sample at the end is dropped
          open = null;
        }
      }
      stream.audio(u.id, data, end);
    }

    void clear(Clear c) {
      List<Model> started = utterances.stream().filter(u -> u.started).toList();
      String through;
      if (c.which() == -2 || (c.which() >= 0 && started.isEmpty())) {
        String unknown = "never-" + c.which();
        if (c.viaInterrupt()) {
          assertThatThrownBy(() -> rig.hub.interrupt("", unknown))
              .isInstanceOf(InvalidArgumentException.class);
        } else {
          assertThatThrownBy(() -> stream.clear(unknown))
              .isInstanceOf(InvalidArgumentException.class)
              .hasMessageStartingWith("clear.through_utterance: ");
        }
        return;
      }
      if (c.which() == -1) {
        through = "";
        for (Model u : started) {
          u.fenced = true;
        }
      } else {
        Model u = started.get(c.which() % started.size());
        through = u.id;
        u.fenced = true;
      }
      if (open != null && open.fenced) {
        open = null;
      }
      if (c.viaInterrupt()) {
        var unused = rig.hub.interrupt("", through);
      } else {
        stream.clear(through);
      }
    }

    /** Attributes each sample of a sent frame to its utterance (or silence). */
    void observe(short[] frame, long position) {
      for (int i = 0; i < frame.length; i++) {
        int v = frame[i];
        if (v == 0) {
          continue;
        }
        Model u = null;
        if (v % 32 == 0) {
          u = byCode.get(v / 32);
        }
        if (u == null && i < Utterance.FADE && v % (Utterance.FADE - i) == 0) {
          u = byCode.get(v / (Utterance.FADE - i)); // a faded sample of the interrupted one
        }
        check(u != null, "sample " + v + " at " + (position + i) + " belongs to no utterance");
        u.sent.add(position + i);
      }
    }

    void events() {
      for (MediaEvent e : MediaRig.drain(stream)) {
        if (e instanceof MediaEvent.AudioRejected r) {
          check(expectRejected.remove(r.utteranceId()), "unexpected refusal " + r);
        } else if (e instanceof MediaEvent.MarkResolved m) {
          resolvedMark(m);
        } else if (e instanceof MediaEvent.Cleared c) {
          Model u = byId(c.interruptedUtterance());
          if (u != null) {
            interrupted++;
            check(
                c.playedSamples() == u.sent.size(),
                "Cleared played "
                    + c.playedSamples()
                    + " but "
                    + u.sent.size()
                    + " of "
                    + u.id
                    + " were sent");
          } else {
            check(c.playedSamples() == 0, "nothing interrupted, yet played " + c);
          }
          for (String id : c.clearedUtterances()) {
            Model dropped = byId(id);
            dropped.clearedAt = dropped.sent.size();
          }
        } else if (e instanceof MediaEvent.Playout p) {
          check(p.position() >= lastPlayout, "Playout went back: " + p + " after " + lastPlayout);
          lastPlayout = p.position();
          if (p.utteranceEnded()) {
            Model u = byId(p.utteranceId());
            check(
                u.sent.size() == u.written() && p.utterancePlayedSamples() == u.written(),
                "ended " + p + " but " + u.sent.size() + " of " + u.written() + " sent");
            if (!u.sent.isEmpty()) {
              check(p.position() == u.sent.get(u.sent.size() - 1) + 1, "end position " + p);
            }
          }
        }
      }
      check(expectRejected.isEmpty(), "not refused: " + expectRejected);
    }

    void resolvedMark(MediaEvent.MarkResolved m) {
      check(marks.containsKey(m.id()), "unknown mark " + m);
      MarkOutcome before = resolved.put(m.id(), m.outcome());
      check(before == null, "mark " + m.id() + " resolved twice: " + before + ", " + m.outcome());
      if (m.outcome() != MarkOutcome.PLAYED) {
        check(
            m.outcome() == MarkOutcome.CLEARED || m.outcome() == MarkOutcome.CALL_ENDED,
            "outcome " + m);
        return;
      }
      check(m.position() >= lastPlayedMark, "PLAYED went back: " + m + " after " + lastPlayedMark);
      lastPlayedMark = m.position();
      MarkAnchor a = marks.get(m.id());
      if (a.utterance() != null && a.written() > 0 && a.utterance().sent.size() >= a.written()) {
        long last = a.utterance().sent.get((int) a.written() - 1);
        check(m.position() == last + 1, "mark " + m + " stands after the sample at " + last);
      }
      if (a.utterance() != null && a.written() > 0 && a.utterance().clearedAt == null) {
        // (Set after its utterance was cleared, a mark follows nothing queued: PLAYED at once.)
        check(
            a.utterance().sent.size() >= a.written(),
            "mark "
                + m
                + " PLAYED before its audio: "
                + a.utterance().sent.size()
                + " of "
                + a.written());
      }
    }

    Model byId(String id) {
      for (Model u : utterances) {
        if (u.id.equals(id)) {
          return u;
        }
      }
      return null;
    }

    void check(boolean ok, String what) {
      if (!ok) {
        throw new AssertionError(what + "\nafter " + done);
      }
    }
  }

  private static int[] primes(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      boolean prime = true;
      for (int d = 2; d * d <= n; d++) {
        if (n % d == 0) {
          prime = false;
          break;
        }
      }
      if (prime) {
        out.add(n);
      }
    }
    assertThat(out).hasSizeGreaterThan(100);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
