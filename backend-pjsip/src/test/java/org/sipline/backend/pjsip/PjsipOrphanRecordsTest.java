package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.FinalResponse;
import org.sipline.core.spi.Transport;

/**
 * The BYE pjsip builds from a dialog record alone, and what it does with records it must not trust
 * (as jainsip's {@code OrphanLeftoversTest}): a journal with forged, torn and stale records besides
 * one valid record sends exactly one BYE — to the recorded far end, with the record's Call-ID,
 * tags, CSeq and Route — and nothing to the address the forgeries name.
 */
class PjsipOrphanRecordsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void forgedTornAndStaleRecordsSendNothingAnywhereButTheRecordedFarEnd() throws Exception {
    NativeShimAvailable.assume();
    try (DatagramSocket far = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String farAt = "127.0.0.1:" + far.getLocalPort();
      String strangerAt = "127.0.0.1:" + stranger.getLocalPort();
      Instant now = Instant.now();
      int farPort = far.getLocalPort();
      List<String> lines =
          List.of(
              // The target names the stranger, the record the far end.
              dialog("forged-target", now, "sip:far@" + strangerAt, "[]", farPort),
              // The first route names the stranger.
              dialog(
                  "forged-route",
                  now,
                  "sip:far@" + farAt,
                  "[\"sip:" + strangerAt + ";lr\"]",
                  farPort),
              // Consistent, but two days old.
              dialog(
                  "stale",
                  now.minus(Duration.ofDays(2)),
                  "sip:far@" + strangerAt,
                  "[]",
                  stranger.getLocalPort()),
              // Consistent, but torn by the kill.
              dialog("torn", now, "sip:far@" + strangerAt, "[]", stranger.getLocalPort())
                  .substring(0, 200),
              dialog("kept", now, "sip:far@" + farAt, "[\"sip:" + farAt + ";lr\"]", farPort));
      Path journal = dir.resolve("history.jsonl");
      Files.writeString(
          journal.resolveSibling("history.jsonl+sip"), String.join("\n", lines) + "\n");

      try (PjsipBackend backend =
              (PjsipBackend) new PjsipBackendProvider().create(BackendConfig.loopback().build());
          Line line = Line.open(backend, LineConfig.builder().journal(journal).build())) {
        far.setSoTimeout((int) WAIT.toMillis());
        Request bye = tryReceive(far);
        assertThat(bye)
            .as(
                () ->
                    "a BYE at the far end; the line's history: "
                        + line.history().stream().map(LineStatus::description).toList())
            .isNotNull();
        assertThat(bye.startLine()).isEqualTo("BYE sip:far@" + farAt + " SIP/2.0");
        assertThat(bye.header("Call-ID")).isEqualTo("kept");
        assertThat(bye.header("From")).endsWith(";tag=ourtag");
        assertThat(bye.header("To")).endsWith(";tag=theirtag");
        assertThat(bye.header("CSeq")).isEqualTo("7 BYE");
        assertThat(bye.header("Route")).isEqualTo("<sip:" + farAt + ";lr>");
        bye.answer(far, 200, "OK");
        LineStatus outcome = awaitHistory(line, "ended call kept");
        assertThat(outcome.description())
            .isEqualTo(
                "ended call kept left by the previous process: BYE to "
                    + farAt
                    + " answered 200 OK");
        // Records are dealt with in journal order, the forgeries first: had any of them sent
        // anything, it would have arrived before the valid one's BYE was answered.
        stranger.setSoTimeout(300);
        assertThat(tryReceive(stranger)).as("anything at the stranger").isNull();
        assertThat(line.history())
            .extracting(LineStatus::description)
            .anyMatch(d -> d.startsWith("no BYE for call forged-target "))
            .anyMatch(d -> d.startsWith("no BYE for call forged-route "))
            .anyMatch(d -> d.startsWith("no BYE for call stale "))
            .anyMatch(d -> d.contains("line 4 unreadable"));
      }
    }
  }

  @Test
  void aByeNobodyAnswersEndsAsNoAnswerAfterTheTransactionTimeout() throws Exception {
    NativeShimAvailable.assume();
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        PjsipBackend backend =
            (PjsipBackend)
                new PjsipBackendProvider()
                    .create(
                        BackendConfig.loopback()
                            .transactionTimeout(Duration.ofSeconds(2))
                            .build())) {
      String at = "127.0.0.1:" + silent.getLocalPort();
      DialogRecord record =
          new DialogRecord(
              "silent-1",
              false,
              "sip:ghost@127.0.0.1",
              "ourtag",
              "sip:far@127.0.0.1",
              "theirtag",
              "sip:far@" + at,
              List.of(),
              3,
              Transport.UDP,
              "127.0.0.1",
              silent.getLocalPort());
      FinalResponse outcome =
          backend.endOrphanedDialog(record).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(outcome.statusCode()).isZero();
      assertThat(outcome.describe()).startsWith("no answer (");
      assertThat(receive(silent, WAIT).header("CSeq")).isEqualTo("3 BYE");
    }
  }

  /** One SIP request as text, and enough of it to answer it. */
  private record Request(String text, InetAddress from, int port) {
    String startLine() {
      return text.substring(0, text.indexOf("\r\n"));
    }

    String header(String name) {
      for (String l : text.split("\r\n")) {
        int colon = l.indexOf(':');
        if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return l.substring(colon + 1).trim();
        }
      }
      return null;
    }

    void answer(DatagramSocket socket, int code, String reason) throws Exception {
      StringBuilder r = new StringBuilder("SIP/2.0 " + code + " " + reason + "\r\n");
      for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
        r.append(name).append(": ").append(header(name)).append("\r\n");
      }
      r.append("Content-Length: 0\r\n\r\n");
      byte[] b = r.toString().getBytes(StandardCharsets.UTF_8);
      socket.send(new DatagramPacket(b, b.length, from, port));
    }
  }

  private static Request receive(DatagramSocket socket, Duration bound) throws Exception {
    socket.setSoTimeout((int) bound.toMillis());
    Request r = tryReceive(socket);
    assertThat(r).as("a request within " + bound).isNotNull();
    return r;
  }

  private static Request tryReceive(DatagramSocket socket) throws Exception {
    byte[] buf = new byte[65535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new Request(
        new String(buf, 0, p.getLength(), StandardCharsets.UTF_8), p.getAddress(), p.getPort());
  }

  private static LineStatus awaitHistory(Line line, String text) {
    return Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                line.history().stream()
                    .filter(s -> s.description().startsWith(text))
                    .findFirst()
                    .orElse(null),
            s -> s != null);
  }

  private static String dialog(
      String callId, Instant time, String target, String routes, int farPort) {
    return "{\"kind\":\"dialog\",\"time\":\""
        + time
        + "\",\"account\":\"ghost@127.0.0.1\",\"callId\":\""
        + callId
        + "\",\"direction\":\"outgoing\",\"localUri\":\"sip:ghost@127.0.0.1\",\"localTag\":\"ourtag\","
        + "\"remoteUri\":\"sip:far@127.0.0.1\",\"remoteTag\":\"theirtag\",\"remoteTarget\":\""
        + target
        + "\",\"routeSet\":"
        + routes
        + ",\"nextCseq\":7,\"transport\":\"UDP\",\"farEndHost\":\"127.0.0.1\",\"farEndPort\":"
        + farPort
        + "}";
  }
}
