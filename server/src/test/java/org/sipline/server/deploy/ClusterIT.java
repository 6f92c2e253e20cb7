package org.sipline.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.lines.v1.Line;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.ListLinesRequest;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.StatusProbe;
import org.sipline.testing.peers.FreePorts;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioDispatcher;
import org.sipline.testing.peers.KamailioOptions;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippResult;
import org.sipline.testing.peers.SippScenario;

/**
 * Issue 13's cluster: {@code deploy/kamailio/kamailio.cfg}'s dispatcher in front of three sipline
 * processes of ten lines each, all lines answering one trunk identity registered at a Kamailio
 * registrar, and SIPp calling the trunk through the dispatcher.
 *
 * <ol>
 *   <li>60 calls: all answered, each rung on one line of one node, every node taking some;
 *   <li>{@code kill -9} of a node with calls on it: those calls end (their BYE finds no one), the
 *       node is out of rotation within 3 s, and every call placed after that is answered;
 *   <li>SIGTERM of another node with calls on it: they finish normally, calls placed meanwhile go
 *       to the remaining node, and the drained process exits;
 *   <li>the killed node restarted on the same SIP port and {@code --journal}: it is back in
 *       rotation and takes calls, and its REGISTER replaced the binding its first run left (kill -9
 *       un-registers nothing) rather than adding one beside it.
 * </ol>
 */
class ClusterIT {
  private static final Path CONFIG = Path.of("..", "deploy", "kamailio", "kamailio.cfg");
  private static final Duration OUT_OF_ROTATION_WITHIN = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SippScenario CALL = SippScenario.resource("uac-call-answered-or-busy.xml");
  private static final int LINES = 10;
  private static final String TRUNK = "trunk";

  // Kept when the test fails: every node's log is there.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<Node> nodes = new ArrayList<>();
  private Kamailio registrar;
  private KamailioDispatcher dispatcher;

  @AfterEach
  void stop() throws Exception {
    if (dispatcher != null) {
      // Beside the nodes' logs, in the directory a failed run leaves behind.
      Files.writeString(dir.resolve("dispatcher.log"), dispatcher.log());
      dispatcher.close();
    }
    nodes.forEach(n -> n.process.close());
    if (registrar != null) {
      registrar.close();
    }
  }

  @Test
  void callsSpreadOverThreeNodesSurviveAKillADrainAndARestart() throws Exception {
    registrar = Kamailio.start(KamailioOptions.defaults().withUser(TRUNK, "trunk-pw"));
    Files.writeString(dir.resolve("trunk.pw"), "trunk-pw\n");
    List<String> uris = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Node node = new Node(i, FreePorts.sipPort());
      node.start();
      nodes.add(node);
      uris.add(node.uri());
    }
    // One binding per node: the lines of a node share the trunk account's registration.
    StatusProbe.awaitTrue(() -> bindings().size() == 3, "three bindings for trunk", WAIT);
    for (Node node : nodes) {
      StatusProbe.awaitTrue(
          () -> node.lines().stream().allMatch(Line::getFree), node + ": every line free", WAIT);
    }
    dispatcher = KamailioDispatcher.start(CONFIG, uris, LINES);
    for (String uri : uris) {
      dispatcher.awaitNode(uri, flags -> flags.startsWith("A"), WAIT);
    }
    Node a = nodes.get(0);
    Node killed = nodes.get(1);
    Node drained = nodes.get(2);

    // 1. Sixty calls, all answered, spread over the three.
    try (Sipp sipp = call(60, 1000)) {
      SippResult result = sipp.awaitSuccess(Duration.ofMinutes(2));
      assertThat(result.successfulCalls()).isEqualTo(60);
    }
    Set<String> rung = new HashSet<>();
    for (Node node : nodes) {
      List<String> calls = node.incomingCallIds();
      assertThat(calls).as("%s took some of the calls", node).isNotEmpty();
      for (String callId : calls) {
        assertThat(rung.add(callId)).as("Call-ID %s rang once in the cluster", callId).isTrue();
      }
    }
    assertThat(rung).hasSize(60);

    // 2. kill -9 of a node with calls on it.
    try (Sipp held = call(6, 15_000)) {
      StatusProbe.awaitTrue(
          () -> nodes.stream().mapToInt(Node::callsNow).sum() == 6, "six calls up", WAIT);
      int lost = killed.callsNow();
      assertThat(lost).as("calls on the node to be killed").isPositive();
      long kill = System.nanoTime();
      killed.process.kill9();
      dispatcher.awaitNode(killed.uri(), flags -> flags.startsWith("I"), WAIT);
      Duration out = Duration.ofNanos(System.nanoTime() - kill);
      assertThat(out)
          .as("killed node out of rotation after")
          .isLessThanOrEqualTo(OUT_OF_ROTATION_WITHIN);
      try (Sipp after = call(20, 500)) {
        assertThat(after.awaitSuccess(Duration.ofMinutes(1)).successfulCalls()).isEqualTo(20);
      }
      // The killed node's calls ended with it: their BYE found no one; the others' did not.
      SippResult heldResult = held.awaitExit(Duration.ofMinutes(1));
      assertThat(heldResult.failedCalls()).as("calls lost with the killed node").isEqualTo(lost);
      assertThat(heldResult.successfulCalls()).isEqualTo(6 - lost);
    }

    // 3. SIGTERM of another: its calls finish, it takes no new one, it exits.
    try (Sipp held = call(4, 8000)) {
      StatusProbe.awaitTrue(() -> a.callsNow() + drained.callsNow() == 4, "four calls up", WAIT);
      assertThat(drained.callsNow()).as("calls on the node to be drained").isPositive();
      int before = a.incomingCallIds().size();
      ProcessHandle.of(drained.process.pid()).orElseThrow().destroy(); // SIGTERM
      try (Sipp during = call(6, 500)) {
        assertThat(during.awaitSuccess(Duration.ofMinutes(1)).successfulCalls()).isEqualTo(6);
      }
      assertThat(held.awaitSuccess(Duration.ofMinutes(1)).successfulCalls())
          .as("every held call finished normally, the drained node's too")
          .isEqualTo(4);
      assertThat(a.incomingCallIds().size() - before)
          .as("the calls placed while the other drained all went to the remaining node")
          .isEqualTo(6);
    }
    assertThat(drained.process.terminate(WAIT)).as("drained node exited").isNotNull();
    assertThat(drained.process.log()).contains("Draining", "0 hung up");
    StatusProbe.awaitTrue(
        () -> bindings().stream().noneMatch(drained::boundBy),
        "the drained node's binding removed",
        WAIT);
    assertThat(bindings())
        .as("the killed node's binding outlives it: kill -9 un-registers nothing")
        .anyMatch(killed::boundBy);

    // 4. The killed node restarted on the same SIP port and journal.
    int registersBefore = killed.registersSeen();
    killed.start();
    StatusProbe.awaitTrue(
        () -> killed.registersSeen() > registersBefore, killed + " registered again", WAIT);
    dispatcher.awaitNode(killed.uri(), flags -> flags.startsWith("A"), WAIT);
    List<String> bound = bindings();
    assertThat(bound).as("bindings for trunk after the restart").hasSize(2);
    assertThat(bound.stream().filter(killed::boundBy)).as("the restarted node's").hasSize(1);
    assertThat(bound.stream().filter(a::boundBy)).hasSize(1);
    int rungBefore = killed.incomingCallIds().size();
    try (Sipp again = call(10, 500)) {
      assertThat(again.awaitSuccess(Duration.ofMinutes(1)).successfulCalls()).isEqualTo(10);
    }
    assertThat(killed.incomingCallIds().size())
        .as("the restarted node takes calls again")
        .isGreaterThan(rungBefore);
  }

  private Sipp call(int calls, long holdMillis) {
    return Sipp.uac(
        CALL,
        dispatcher.hostPort(),
        SippOptions.defaults()
            .withService(TRUNK)
            .withCalls(calls)
            .withHoldMillis(holdMillis)
            .withTimeout(Duration.ofMinutes(2)));
  }

  private List<String> bindings() {
    return registrar.contacts(TRUNK);
  }

  /** One sipline process: its SIP port and journal stay the same across restarts. */
  private final class Node {
    final int index;
    final int sipPort;
    final Path nodeDir;
    SiplineProcess process;

    Node(int index, int sipPort) throws Exception {
      this.index = index;
      this.sipPort = sipPort;
      this.nodeDir = Files.createDirectories(dir.resolve("node-" + index));
    }

    void start() throws Exception {
      List<String> file = new ArrayList<>();
      for (int i = 0; i < LINES; i++) {
        file.add(
            "line-"
                + i
                + " account="
                + TRUNK
                + "@"
                + registrar.hostPort()
                + " password-file="
                + dir.resolve("trunk.pw"));
      }
      Path lines = Files.write(nodeDir.resolve("lines.txt"), file);
      process =
          SiplineProcess.start(
              nodeDir,
              sipPort,
              "--backend",
              "jainsip",
              "--lines-file",
              lines.toString(),
              "--journal",
              nodeDir.resolve("status.jsonl").toString(),
              "--drain-timeout",
              "30s");
    }

    String uri() {
      return "sip:127.0.0.1:" + sipPort;
    }

    boolean boundBy(String contact) {
      return Pattern.compile("@127\\.0\\.0\\.1:" + sipPort + "(?!\\d)").matcher(contact).find();
    }

    int registersSeen() {
      return (int)
          registrar.receivedRequests().stream()
              .filter(r -> r.is("REGISTER") && ("127.0.0.1:" + sipPort).equals(r.source()))
              .count();
    }

    List<Line> lines() {
      return LinesGrpc.newBlockingStub(process.channel())
          .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .listLines(ListLinesRequest.getDefaultInstance())
          .getLinesList();
    }

    int callsNow() {
      return (int) lines().stream().filter(Line::getInCall).count();
    }

    /** The Call-ID of every INVITE that rang one of its lines, from WatchStatus over all lines. */
    List<String> incomingCallIds() {
      List<String> out = new ArrayList<>();
      var events =
          LinesGrpc.newBlockingStub(process.channel())
              .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
              .watchStatus(WatchStatusRequest.newBuilder().setAllLines(true).build());
      while (events.hasNext()) {
        WatchEvent e = events.next();
        if (e.hasCaughtUp()) {
          break;
        }
        if (e.getStatus().getStatus().getStatusType() == StatusType.INCOMING_CALL_INITIATED) {
          out.add(e.getStatus().getStatus().getNluSessionName());
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return "node-" + index + " (" + uri() + ")";
    }
  }
}
