package org.sipline.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a capture while tshark still writes it, and stopping it once it holds what was sent. */
class TsharkCaptureTest {
  private static final int SENT = 300;

  /** UDP length of "datagram NNN": 8 header bytes and 12 of payload; a probe's is 9. */
  private static final String NUMBERED_LENGTH = "20";

  private static final List<String> FIELDS = List.of("frame.time_epoch", "udp.length");

  @Test
  void theCaptureIsStoppedOnceItsFileHoldsEveryDatagramSent(@TempDir Path dir) throws Exception {
    String noCapture = TsharkCapture.unavailableReason();
    assumeTrue(noCapture == null, () -> "needs tshark on lo: " + noCapture);
    List<Integer> seenLive = new ArrayList<>();
    List<String[]> rows;
    try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket source = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        TsharkCapture capture =
            TsharkCapture.filtered(
                dir, "datagrams", "udp and dst port " + sink.getLocalPort(), 128)) {
      SocketAddress to = sink.getLocalSocketAddress();
      // tshark says "Capturing on" before its capture stands: probe until one is in the file.
      Await.until(
          Duration.ofSeconds(30),
          "a probe datagram in the capture",
          () -> {
            send(source, to, "p");
            try {
              return !capture.fieldsSoFar(List.of(), FIELDS).isEmpty();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      for (int i = 0; i < SENT; i++) {
        send(source, to, String.format(Locale.ROOT, "datagram %03d", i));
      }
      rows =
          capture.fieldsOnceWritten(
              List.of(),
              FIELDS,
              live -> {
                seenLive.add(numbered(live).size());
                return numbered(live).size() >= SENT;
              },
              Duration.ofSeconds(60));
    }
    // The wait ended on a read of the file tshark was still writing, not on the time bound.
    assertThat(seenLive).isNotEmpty();
    assertThat(seenLive.get(seenLive.size() - 1)).isEqualTo(SENT);
    assertThat(numbered(rows)).hasSize(SENT);
  }

  private static List<String[]> numbered(List<String[]> rows) {
    return rows.stream().filter(r -> r[1].equals(NUMBERED_LENGTH)).toList();
  }

  private static void send(DatagramSocket source, SocketAddress to, String text) {
    byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
    try {
      source.send(new DatagramPacket(payload, payload.length, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
