package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.DtmfMethod;

/**
 * Random digit streams through a lossy, duplicating, reordering network: whatever arrives, every
 * digit is reported at most once, as START then END, in the order sent; and a clean network (only
 * duplicates) gives back exactly the digits sent with their durations.
 */
class TelephoneEventReceiverPropertyTest {
  private static final int FRAME = 160;

  /** One packet as the receive path hands it over: an event, or audio at a timestamp. */
  private record Sent(boolean event, long timestamp, byte[] payload) {}

  private record Stream(List<Sent> packets, List<DtmfEvent> digits) {}

  /** A phone's stream: audio, digits in its place, and a tail of audio the network spares. */
  private static Stream stream(Random random) {
    List<Sent> packets = new ArrayList<>();
    List<DtmfEvent> digits = new ArrayList<>();
    long ts = random.nextInt() & 0xFFFF_FFFFL;
    int count = 1 + random.nextInt(12);
    for (int d = 0; d < count; d++) {
      for (int i = random.nextInt(8); i > 0; i--) {
        packets.add(new Sent(false, ts, null));
        ts = (ts + FRAME) & 0xFFFF_FFFFL;
      }
      char digit = DtmfEvent.DIGITS.charAt(random.nextInt(16));
      int updates = 2 + random.nextInt(30);
      long start = ts;
      for (int i = 0; i < updates + 2; i++) {
        byte[] p = new byte[4];
        int duration = Math.min((i + 1) * FRAME, updates * FRAME);
        TelephoneEventPayload.write(
            p, 0, DtmfEvent.DIGITS.indexOf(digit), i >= updates - 1, 10, duration);
        packets.add(new Sent(true, start, p));
        ts = (ts + FRAME) & 0xFFFF_FFFFL;
      }
      digits.add(DtmfEvent.start(digit, DtmfMethod.RFC4733));
      digits.add(DtmfEvent.end(digit, updates * FRAME / 8, DtmfMethod.RFC4733));
    }
    for (int i = 0; i < 20; i++) {
      packets.add(new Sent(false, ts, null));
      ts = (ts + FRAME) & 0xFFFF_FFFFL;
    }
    return new Stream(packets, digits);
  }

  /** Loses, duplicates and swaps neighbours, sparing the last 20 packets (the audio tail). */
  private static List<Sent> network(
      List<Sent> sent, Random random, int lossPercent, int duplicatePercent, int swapPercent) {
    int spared = sent.size() - 20;
    List<Sent> out = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      Sent p = sent.get(i);
      if (i < spared && random.nextInt(100) < lossPercent) {
        continue;
      }
      out.add(p);
      if (random.nextInt(100) < duplicatePercent) {
        out.add(p);
      }
    }
    for (int i = 0; i + 1 < out.size() - 20; i++) {
      if (random.nextInt(100) < swapPercent) {
        Collections.swap(out, i, i + 1);
      }
    }
    return out;
  }

  private static List<DtmfEvent> receive(List<Sent> packets) throws MalformedRtpException {
    List<DtmfEvent> reported = new ArrayList<>();
    TelephoneEventReceiver receiver = new TelephoneEventReceiver(reported::add);
    for (Sent p : packets) {
      if (p.event()) {
        // Arrival times do not matter here: expire() is never called.
        receiver.onPacket(p.timestamp(), 0, p.payload(), 0, p.payload().length);
      } else {
        receiver.onAudio(p.timestamp());
      }
    }
    return reported;
  }

  @Property(tries = 500)
  void everyDigitIsReportedAtMostOnceAsStartThenEndInTheOrderSent(
      @ForAll long seed,
      @ForAll @IntRange(max = 40) int lossPercent,
      @ForAll @IntRange(max = 30) int duplicatePercent,
      @ForAll @IntRange(max = 30) int swapPercent)
      throws MalformedRtpException {
    Random random = new Random(seed);
    Stream stream = stream(random);
    List<DtmfEvent> reported =
        receive(network(stream.packets(), random, lossPercent, duplicatePercent, swapPercent));

    assertThat(reported.size() % 2).as("START and END paired: %s", reported).isZero();
    List<Character> sentDigits = new ArrayList<>();
    for (DtmfEvent e : stream.digits()) {
      if (!e.end()) {
        sentDigits.add(e.digit());
      }
    }
    List<Character> startedDigits = new ArrayList<>();
    for (int i = 0; i < reported.size(); i += 2) {
      DtmfEvent start = reported.get(i);
      DtmfEvent end = reported.get(i + 1);
      assertThat(start.end()).isFalse();
      assertThat(end.end()).isTrue();
      assertThat(end.digit()).isEqualTo(start.digit());
      assertThat(end.durationMillis()).isBetween(0, 32 * FRAME / 8);
      startedDigits.add(start.digit());
    }
    assertThat(isSubsequence(startedDigits, sentDigits))
        .as("reported %s, sent %s", startedDigits, sentDigits)
        .isTrue();
  }

  @Property(tries = 200)
  void withoutLossOrReorderingTheDigitsComeBackExactlyDuplicatesOrNot(
      @ForAll long seed, @ForAll @IntRange(max = 50) int duplicatePercent)
      throws MalformedRtpException {
    Random random = new Random(seed);
    Stream stream = stream(random);

    assertThat(receive(network(stream.packets(), random, 0, duplicatePercent, 0)))
        .containsExactlyElementsOf(stream.digits());
  }

  private static boolean isSubsequence(List<Character> part, List<Character> whole) {
    int at = 0;
    for (char c : part) {
      while (at < whole.size() && whole.get(at) != c) {
        at++;
      }
      if (at == whole.size()) {
        return false;
      }
      at++;
    }
    return true;
  }
}
