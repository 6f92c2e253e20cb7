package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.lines.v1.Line;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.ListLinesRequest;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.StatusProbe;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * The jar with lines sharing one trunk identity, registered at Kamailio and called by SIPp: 30
 * concurrent INVITEs for the trunk across 10 lines are answered 10 times and refused 486 20 times,
 * and no INVITE rings two lines; OPTIONS say 200 while a line is free and 486 when none is. SIGTERM
 * drains: health NOT_SERVING, OPTIONS and new INVITEs 503, the ongoing call finishes normally, the
 * account is un-registered and the process exits.
 */
class AnyFreeLineIT {
  private static final Duration WAIT = LineClient.WAIT;
  private static final Pattern SIP_PORT =
      Pattern.compile("listening on 127\\.0\\.0\\.1 port (\\d+)");

  @TempDir Path dir;

  private Kamailio kamailio;
  private SiplineProcess sipline;

  @AfterEach
  void stop() {
    if (sipline != null) {
      sipline.close();
    }
    if (kamailio != null) {
      kamailio.close();
    }
  }

  private void startTrunkLines(int count, String... more) throws Exception {
    kamailio = Kamailio.start(KamailioOptions.defaults().withUser("trunk", "trunk-pw"));
    Files.writeString(dir.resolve("trunk.pw"), "trunk-pw\n");
    List<String> file = new ArrayList<>();
    file.add("# every line answers the trunk identity: the first free one takes each INVITE");
    for (int i = 0; i < count; i++) {
      file.add("line-" + i + " account=trunk@" + kamailio.hostPort() + " password-file=trunk.pw");
    }
    Path linesFile = Files.write(dir.resolve("lines.txt"), file);
    List<String> args =
        new ArrayList<>(List.of("--backend", "jainsip", "--lines-file", linesFile.toString()));
    args.addAll(List.of(more));
    sipline = SiplineProcess.start(dir, args.toArray(String[]::new));
    kamailio.awaitRegistered("trunk", WAIT);
    StatusProbe.awaitTrue(() -> lines().stream().allMatch(Line::getFree), "every line free", WAIT);
  }

  private List<Line> lines() {
    // The deadline is generous: on a loaded machine a first connection alone took 8 s.
    return LinesGrpc.newBlockingStub(sipline.channel())
        .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .listLines(ListLinesRequest.getDefaultInstance())
        .getLinesList();
  }

  private String sipTarget() {
    Matcher m = SIP_PORT.matcher(sipline.log());
    assertThat(m.find()).as("SIP port in the log").isTrue();
    return "127.0.0.1:" + m.group(1);
  }

  @Test
  void thirtyCallsToTheTrunkAcrossTenLinesRingTenAndAreRefused486Otherwise() throws Exception {
    startTrunkLines(10);
    assertThat(options()).isEqualTo(200);
    try (Sipp sipp =
        Sipp.uac(
            SippScenario.resource("uac-call-answered-or-busy.xml"),
            sipTarget(),
            SippOptions.defaults()
                .withService("trunk")
                .withCalls(30)
                .withHoldMillis(8000)
                .withTimeout(Duration.ofSeconds(60)))) {
      StatusProbe.awaitTrue(
          () -> lines().stream().allMatch(Line::getInCall), "every line in a call", WAIT);
      assertThat(options()).as("OPTIONS while every line is busy").isEqualTo(486);
      sipp.awaitSuccess(Duration.ofSeconds(90));
      Map<String, Set<Integer>> answers = inviteAnswers(sipp.messages());
      assertThat(answers).hasSize(30);
      assertThat(answers.values().stream().filter(c -> c.contains(200))).hasSize(10);
      assertThat(answers.values().stream().filter(c -> c.contains(486))).hasSize(20);
      assertThat(answers.values()).noneMatch(c -> c.contains(200) && c.contains(486));
    }
    // Each line rang exactly once, each answered call on one line only.
    List<StatusEntry> all = history();
    Map<String, Integer> ringsPerLine = new HashMap<>();
    Set<String> nluSessions = new HashSet<>();
    for (StatusEntry e : all) {
      if (e.getStatus().getStatusType() == StatusType.INCOMING_CALL_INITIATED) {
        ringsPerLine.merge(e.getLine(), 1, Integer::sum);
        assertThat(nluSessions.add(e.getStatus().getNluSessionName()))
            .as("Call-ID %s rang one line only", e.getStatus().getNluSessionName())
            .isTrue();
      }
    }
    assertThat(ringsPerLine)
        .hasSize(10)
        .allSatisfy((line, rings) -> assertThat(rings).isEqualTo(1));
    StatusProbe.awaitTrue(() -> options() == 200, "OPTIONS 200 once the calls ended", WAIT);
  }

  @Test
  void sigtermDrainsTheOngoingCallFinishesAndTheProcessExits() throws Exception {
    startTrunkLines(2, "--drain-timeout", "20s");
    try (Sipp held =
        Sipp.uac(
            SippScenario.resource("uac-call-answered-or-busy.xml"),
            sipTarget(),
            SippOptions.defaults().withService("trunk").withCalls(1).withHoldMillis(4000))) {
      StatusProbe.awaitTrue(
          () -> lines().stream().anyMatch(Line::getInCall), "a line in a call", WAIT);
      String target = sipTarget();
      long started = System.nanoTime();
      ProcessHandle.of(sipline.pid()).orElseThrow().destroy(); // SIGTERM
      StatusProbe.awaitTrue(() -> options() == 503, "OPTIONS 503 while draining", WAIT);
      assertThat(
              HealthGrpc.newBlockingStub(sipline.channel())
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.NOT_SERVING);
      try (Sipp refused =
          Sipp.uac(
              SippScenario.resource("uac-call-expect-503.xml"),
              target,
              SippOptions.defaults().withService("trunk"))) {
        refused.awaitSuccess(WAIT);
      }
      held.awaitSuccess(WAIT); // its BYE after 4 s was answered: the call finished normally
      Duration exit = sipline.terminate(Duration.ofSeconds(30));
      assertThat(exit).as("exited after draining").isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("well before the drain timeout")
          .isLessThan(Duration.ofSeconds(15));
    }
    kamailio.awaitUnregistered("trunk", WAIT);
    assertThat(sipline.log()).contains("Draining", "1 call(s) at start, 0 hung up");
  }

  /** Every status of every line, oldest first per line, from WatchStatus over all lines. */
  private List<StatusEntry> history() {
    List<StatusEntry> out = new ArrayList<>();
    var events =
        LinesGrpc.newBlockingStub(sipline.channel())
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .watchStatus(WatchStatusRequest.newBuilder().setAllLines(true).build());
    while (events.hasNext()) {
      WatchEvent e = events.next();
      if (e.hasCaughtUp()) {
        break;
      }
      out.add(e.getStatus());
    }
    return out;
  }

  /** Per Call-ID, the final responses to its INVITE in SIPp's message log. */
  private static Map<String, Set<Integer>> inviteAnswers(String log) {
    Map<String, Set<Integer>> answers = new HashMap<>();
    Integer code = null;
    String callId = null;
    boolean invite = false;
    for (String line : log.split("\\R")) {
      String t = line.strip();
      if (t.startsWith("SIP/2.0 ")) {
        code = Integer.parseInt(t.substring(8, 11));
        callId = null;
        invite = false;
      } else if (t.regionMatches(true, 0, "Call-ID:", 0, 8)) {
        callId = t.substring(8).strip();
      } else if (t.regionMatches(true, 0, "CSeq:", 0, 5)) {
        invite = t.endsWith("INVITE");
      } else if (t.isEmpty() && code != null && callId != null) {
        if (invite && code >= 200) {
          answers.computeIfAbsent(callId, k -> new HashSet<>()).add(code);
        }
        code = null;
      }
    }
    return answers;
  }

  /** Sends an OPTIONS to sipline's SIP address and returns the response code. */
  private int options() {
    String[] hostPort = sipTarget().split(":");
    int port = Integer.parseInt(hostPort[1]);
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(2000);
      int local = socket.getLocalPort();
      String branch = "z9hG4bK" + UUID.randomUUID();
      String request =
          "OPTIONS sip:trunk@127.0.0.1:"
              + port
              + " SIP/2.0\r\n"
              + "Via: SIP/2.0/UDP 127.0.0.1:"
              + local
              + ";branch="
              + branch
              + "\r\n"
              + "From: <sip:probe@127.0.0.1:"
              + local
              + ">;tag=probe\r\n"
              + "To: <sip:trunk@127.0.0.1:"
              + port
              + ">\r\n"
              + "Call-ID: "
              + UUID.randomUUID()
              + "\r\n"
              + "CSeq: 1 OPTIONS\r\n"
              + "Max-Forwards: 70\r\n"
              + "Content-Length: 0\r\n\r\n";
      byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
      socket.send(
          new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
      byte[] buffer = new byte[4096];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      String text = new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII);
      return Integer.parseInt(text.substring(8, 11));
    } catch (SocketTimeoutException e) {
      return -1;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
