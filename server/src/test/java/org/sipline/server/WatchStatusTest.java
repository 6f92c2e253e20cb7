package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.lines.v1.CreateLineRequest;
import org.sipline.api.lines.v1.Gap;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.testing.FakeCall;

/**
 * WatchStatus: a watcher that reconnects with the last sequence number it saw gets exactly what it
 * missed, then live entries; the numbering survives a restart with the journal; a hundred watchers
 * see the same sequence; a watcher too slow for the history gets a Gap naming what it lost.
 */
class WatchStatusTest {
  private static final Duration WAIT = RunningServer.WAIT;

  @TempDir Path dir;

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    closing.add(c);
    return c;
  }

  private RunningServer server(java.util.function.UnaryOperator<ServerConfig.Builder> b)
      throws Exception {
    return closeLater(RunningServer.start(b));
  }

  private ManagedChannel channel(RunningServer running) {
    ManagedChannel c =
        Grpc.newChannelBuilder(running.target(), InsecureChannelCredentials.create()).build();
    closing.add(c::shutdownNow);
    return c;
  }

  private static WatchStatusRequest after(long seq) {
    return WatchStatusRequest.newBuilder().setAfterSeq(seq).build();
  }

  private static long newest(RunningServer running) {
    return running.server.lines().defaultLine().status().sequence();
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  void reconnectingAfterAKilledConnectionMidCallLosesAndRepeatsNothing() throws Exception {
    RunningServer running = server(b -> b);
    FakeCall call = running.connectCall();
    ManagedChannel first = channel(running);
    Watcher w1 = Watcher.start(first, after(0));
    w1.awaitSeq(newest(running), WAIT);
    w1.awaitEvent(WatchEvent::hasCaughtUp, "caught up", WAIT);
    running.sip().sipMute(Empty.getDefaultInstance());
    w1.awaitSeq(newest(running), WAIT);

    first.shutdownNow(); // the connection dies mid-call
    w1.ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    running.sip().sipUnMute(Empty.getDefaultInstance());
    running.sip().sipMute(Empty.getDefaultInstance());
    call.remoteBye();
    running.awaitStatus(StatusType.OUTGOING_CALL_FINISHED);
    running.awaitCount(StatusType.READY, 2);

    Watcher w2 = closeLater(Watcher.start(channel(running), after(w1.lastSeq())));
    w2.awaitEvent(WatchEvent::hasCaughtUp, "caught up", WAIT);
    running.sip().sipEndSession(Empty.getDefaultInstance()); // live ones follow
    running.awaitStatus(StatusType.NO_SESSION);
    w2.awaitSeq(newest(running), WAIT);

    List<Long> seen = new ArrayList<>(w1.seqs());
    seen.addAll(w2.seqs());
    assertThat(seen).isEqualTo(oneTo(newest(running)));
    List<StatusType> types = new ArrayList<>();
    w1.entries().forEach(e -> types.add(e.getStatus().getStatusType()));
    w2.entries().forEach(e -> types.add(e.getStatus().getStatusType()));
    assertThat(types).isEqualTo(running.history().stream().map(s -> s.getStatusType()).toList());
    assertThat(w2.entries()).allSatisfy(e -> assertThat(e.getLine()).isEqualTo("line-0"));
  }

  @Test
  void aRestartWithTheJournalKeepsTheNumbering() throws Exception {
    Path journal = dir.resolve("status.jsonl");
    long before;
    try (RunningServer running = RunningServer.start(b -> b.journal(journal))) {
      running.connectCall();
      before = newest(running);
    }
    RunningServer again = server(b -> b.journal(journal));
    // Closing hung up and ended the session; the restart itself is one more entry.
    long restarted = newest(again);
    assertThat(restarted).isGreaterThan(before);
    again
        .sip()
        .sipRegisterAccount(
            SipRegisterAccountRequest.newBuilder().setAccountName("carol@example.org").build());
    again.awaitStatus(StatusType.REGISTERED);

    Watcher w = closeLater(Watcher.start(channel(again), after(before - 2)));
    w.awaitSeq(newest(again), WAIT);
    assertThat(w.seqs())
        .isEqualTo(LongStream.rangeClosed(before - 1, newest(again)).boxed().toList());
    assertThat(w.entries().get(w.entries().size() - 1).getStatus().getStatusType())
        .isEqualTo(StatusType.REGISTERED);
  }

  @Test
  void aHundredWatchersOfOneLineSeeTheSameSequence() throws Exception {
    RunningServer running = server(b -> b);
    ManagedChannel channel = channel(running);
    List<Watcher> watchers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      watchers.add(closeLater(Watcher.start(channel, after(0))));
    }
    FakeCall call = running.connectCall();
    for (int i = 0; i < 10; i++) {
      running.sip().sipMute(Empty.getDefaultInstance());
      running.sip().sipUnMute(Empty.getDefaultInstance());
    }
    call.remoteBye();
    running.awaitCount(StatusType.READY, 2);
    long last = newest(running);
    for (Watcher w : watchers) {
      w.awaitSeq(last, WAIT);
    }
    List<StatusEntry> reference = watchers.get(0).entries();
    assertThat(reference.stream().map(StatusEntry::getSeq).toList()).isEqualTo(oneTo(last));
    for (Watcher w : watchers) {
      assertThat(w.entries()).isEqualTo(reference);
    }
  }

  @Test
  void aWatcherTooSlowForTheHistoryGetsAGapNeverASilentHole() throws Exception {
    RunningServer running = server(b -> b.historyLimit(40));
    running.connectCall();
    // A small window, so that the server's sends stall soon after the client stops reading.
    ManagedChannel small =
        NettyChannelBuilder.forTarget(running.target())
            .usePlaintext()
            .flowControlWindow(16 * 1024)
            .build();
    closing.add(small::shutdownNow);
    Watcher slow = closeLater(Watcher.paused(small, after(0)));
    slow.awaitSeq(1, WAIT);
    for (int i = 0; i < 1500; i++) {
      running.sip().sipMute(Empty.getDefaultInstance());
      running.sip().sipUnMute(Empty.getDefaultInstance());
    }
    long last = newest(running);
    slow.resume();
    slow.awaitSeq(last, WAIT);

    List<Gap> gaps = new ArrayList<>();
    long expected = 1;
    for (WatchEvent e : slow.events) {
      if (e.hasGap()) {
        Gap g = e.getGap();
        assertThat(g.getFirstMissingSeq())
            .as("gap starts where the stream stopped")
            .isEqualTo(expected);
        assertThat(g.getLastMissingSeq()).isGreaterThanOrEqualTo(g.getFirstMissingSeq());
        assertThat(g.getOldestSeq()).isGreaterThan(g.getLastMissingSeq());
        assertThat(g.getLine()).isEqualTo("line-0");
        assertThat(g.getReason()).contains("--history-limit");
        gaps.add(g);
        expected = g.getLastMissingSeq() + 1;
      } else if (e.hasStatus()) {
        assertThat(e.getStatus().getSeq()).as("no silent hole").isEqualTo(expected);
        expected++;
      }
    }
    assertThat(gaps).isNotEmpty();
    assertThat(expected - 1).isEqualTo(last);
  }

  @Test
  void aCursorBeyondTheNewestEntryIsOutOfRangeAndAnUnknownLineNotFound() throws Exception {
    RunningServer running = server(b -> b);
    Watcher w = closeLater(Watcher.start(channel(running), after(99)));
    var e = w.awaitError(WAIT);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(e.getStatus().getDescription()).contains("after_seq 99", "--journal");

    Watcher unknown =
        closeLater(
            Watcher.start(
                channel(running), WatchStatusRequest.newBuilder().setLine("nosuch").build()));
    assertThat(unknown.awaitError(WAIT).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    Watcher byHeader = closeLater(Watcher.onLine(channel(running), "nosuch", after(0)));
    assertThat(byHeader.awaitError(WAIT).getStatus().getDescription()).contains("'nosuch'");
    Watcher unknownInMap =
        closeLater(
            Watcher.start(
                channel(running),
                WatchStatusRequest.newBuilder()
                    .setAllLines(true)
                    .putAfterSeqByLine("gone", 3)
                    .build()));
    assertThat(unknownInMap.awaitError(WAIT).getStatus().getDescription()).contains("'gone'");
  }

  @Test
  void aWatchOfAllLinesFollowsEachByItsOwnNumbersIncludingLinesCreatedLater() throws Exception {
    RunningServer running =
        server(b -> b.lines(List.of(LineSpec.named("line-0"), LineSpec.named("line-1"))));
    ManagedChannel channel = channel(running);
    running
        .sip()
        .sipRegisterAccount(
            SipRegisterAccountRequest.newBuilder().setAccountName("alice@example.org").build());
    running.awaitStatus(StatusType.REGISTERED);
    Watcher all =
        closeLater(
            Watcher.start(
                channel,
                WatchStatusRequest.newBuilder()
                    .setAllLines(true)
                    .putAfterSeqByLine("line-0", 1)
                    .build()));
    all.awaitEvent(WatchEvent::hasCaughtUp, "caught up", WAIT);
    LinesGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createLine(CreateLineRequest.newBuilder().setName("extra").build());
    register(channel, "line-1", "bob@example.org");
    register(channel, "extra", "carol@example.org");
    all.awaitEvent(
        e -> e.hasStatus() && e.getStatus().getLine().equals("extra"), "extra's entry", WAIT);
    all.awaitEvent(
        e -> e.hasStatus() && e.getStatus().getLine().equals("line-1"), "line-1's entry", WAIT);
    assertThat(all.entries().stream().filter(e -> e.getLine().equals("line-0"))).isEmpty();
    assertThat(
            all.entries().stream()
                .filter(e -> e.getLine().equals("extra"))
                .map(e -> e.getStatus().getAccountName()))
        .containsOnly("carol@example.org");
    assertThat(
            all.entries().stream()
                .filter(e -> e.getLine().equals("line-1"))
                .map(StatusEntry::getSeq))
        .containsExactly(1L);
  }

  @Test
  void aLineCreatedDuringAQuietWatchOfAllLinesIsDeliveredWithoutAnotherLineRecording()
      throws Exception {
    // The line's cursor starts catching up; nothing but the add itself may wake the stream, since
    // no other line records anything here.
    RunningServer running = server(b -> b.lines(List.of(LineSpec.named("line-0"))));
    ManagedChannel channel = channel(running);
    Watcher all =
        closeLater(
            Watcher.start(channel, WatchStatusRequest.newBuilder().setAllLines(true).build()));
    all.awaitEvent(WatchEvent::hasCaughtUp, "caught up", WAIT);
    LinesGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createLine(CreateLineRequest.newBuilder().setName("extra").build());
    register(channel, "extra", "carol@example.org");
    all.awaitEvent(
        e ->
            e.hasStatus()
                && e.getStatus().getLine().equals("extra")
                && e.getStatus().getStatus().getAccountName().equals("carol@example.org"),
        "extra's REGISTERED entry",
        WAIT);
  }

  private static void register(ManagedChannel channel, String line, String account) {
    io.grpc.Metadata h = new io.grpc.Metadata();
    h.put(LineRouting.LINE_HEADER, line);
    org.sipline.api.sip.SipGrpc.newBlockingStub(channel)
        .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(h))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sipRegisterAccount(SipRegisterAccountRequest.newBuilder().setAccountName(account).build());
  }
}
