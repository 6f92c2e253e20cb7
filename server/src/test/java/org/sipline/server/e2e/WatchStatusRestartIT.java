package org.sipline.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.StatusProbe;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * Issue 13, WatchStatus: the server jar restarted on the same {@code --journal} keeps every line's
 * numbering. A watcher of all lines follows the first process until SIGTERM ends it; a watcher of
 * the second process that resumes from the last numbers the first one saw gets exactly the entries
 * it missed (the drain's and the restart's), then live ones, numbered on from there.
 */
class WatchStatusRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Metadata.Key<String> LINE_HEADER =
      Metadata.Key.of("x-sipline-line", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;

  @Test
  void aRestartOnTheSameJournalContinuesEveryLinesNumbering() throws Exception {
    Path journal = dir.resolve("status.jsonl");
    try (Kamailio kamailio =
        Kamailio.start(
            KamailioOptions.defaults().withUser("alice", "alice-pw").withUser("bob", "bob-pw"))) {
      Map<String, Long> seen;
      List<StatusEntry> firstRun;
      try (SiplineProcess first = start(journal)) {
        AllLines watch = AllLines.from(first, Map.of());
        register(first, "line-0", "alice@" + kamailio.hostPort(), "alice-pw");
        register(first, "line-1", "bob@" + kamailio.hostPort(), "bob-pw");
        StatusProbe.awaitTrue(
            () ->
                watch.has("line-0", StatusType.REGISTERED)
                    && watch.has("line-1", StatusType.REGISTERED),
            "both lines' REGISTERED watched",
            WAIT);
        assertThat(first.terminate(WAIT)).as("the first server's exit after SIGTERM").isNotNull();
        watch.ended.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(watch.gaps.get()).isZero();
        firstRun = List.copyOf(watch.entries);
        seen = watch.lastByLine();
      }
      for (String line : List.of("line-0", "line-1")) {
        assertThat(watch(firstRun, line))
            .as("what the first run's watcher saw of %s", line)
            .isEqualTo(LongStream.rangeClosed(1, seen.get(line)).boxed().toList());
      }

      try (SiplineProcess second = start(journal)) {
        AllLines resumed = AllLines.from(second, seen);
        StatusProbe.awaitTrue(() -> resumed.caughtUp, "the resumed watch caught up", WAIT);
        int missed = resumed.entries.size();
        register(second, "line-1", "bob@" + kamailio.hostPort(), "bob-pw");
        StatusProbe.awaitTrue(
            () ->
                resumed.entries.subList(missed, resumed.entries.size()).stream()
                    .anyMatch(
                        e ->
                            e.getLine().equals("line-1")
                                && e.getStatus().getStatusType() == StatusType.REGISTERED),
            "line-1's new REGISTERED watched live",
            WAIT);
        AllLines whole = AllLines.from(second, Map.of("line-0", 0L, "line-1", 0L));
        StatusProbe.awaitTrue(() -> whole.caughtUp, "the whole history caught up", WAIT);
        for (String line : List.of("line-0", "line-1")) {
          List<Long> resumedSeqs = watch(resumed.entries, line);
          assertThat(resumedSeqs)
              .as(
                  "%s resumed after %d: exactly the missed entries, then live",
                  line, seen.get(line))
              .isNotEmpty()
              .isEqualTo(
                  LongStream.rangeClosed(seen.get(line) + 1, seen.get(line) + resumedSeqs.size())
                      .boxed()
                      .toList());
          // The numbers the first run handed out name the same entries after the restart.
          List<StatusEntry> before =
              firstRun.stream().filter(e -> e.getLine().equals(line)).toList();
          List<StatusEntry> fromJournal =
              whole.entries.stream().filter(e -> e.getLine().equals(line)).toList();
          assertThat(fromJournal.subList(0, before.size())).isEqualTo(before);
        }
        assertThat(resumed.gaps.get() + whole.gaps.get()).isZero();
        resumed.close();
        whole.close();
      }
    }
  }

  private SiplineProcess start(Path journal) throws Exception {
    return SiplineProcess.start(
        dir,
        "--backend",
        "jainsip",
        "--lines",
        "2",
        "--journal",
        journal.toString(),
        "--drain-timeout",
        "0s");
  }

  private static void register(SiplineProcess p, String line, String account, String password) {
    Metadata h = new Metadata();
    h.put(LINE_HEADER, line);
    SipGrpc.SipBlockingStub sip =
        p.sip().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    assertThat(
            sip.sipRegisterAccount(
                    SipRegisterAccountRequest.newBuilder()
                        .setAccountName(account)
                        .setPassword(password)
                        .build())
                .getStatusType())
        .isEqualTo(StatusType.REGISTERED);
  }

  private static List<Long> watch(List<StatusEntry> entries, String line) {
    return entries.stream().filter(e -> e.getLine().equals(line)).map(StatusEntry::getSeq).toList();
  }

  /** A WatchStatus of all lines, recording what it receives. */
  private static final class AllLines implements StreamObserver<WatchEvent>, AutoCloseable {
    final List<StatusEntry> entries = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    volatile boolean caughtUp;
    final java.util.concurrent.atomic.AtomicInteger gaps =
        new java.util.concurrent.atomic.AtomicInteger();
    private final io.grpc.Context.CancellableContext context =
        io.grpc.Context.current().withCancellation();

    static AllLines from(SiplineProcess p, Map<String, Long> after) {
      AllLines w = new AllLines();
      w.context.run(
          () ->
              LinesGrpc.newStub(p.channel())
                  .watchStatus(
                      WatchStatusRequest.newBuilder()
                          .setAllLines(true)
                          .putAllAfterSeqByLine(after)
                          .build(),
                      w));
      return w;
    }

    boolean has(String line, StatusType type) {
      return entries.stream()
          .anyMatch(e -> e.getLine().equals(line) && e.getStatus().getStatusType() == type);
    }

    Map<String, Long> lastByLine() {
      Map<String, Long> last = new java.util.HashMap<>();
      for (StatusEntry e : entries) {
        last.merge(e.getLine(), e.getSeq(), Math::max);
      }
      return last;
    }

    @Override
    public void onNext(WatchEvent e) {
      if (e.hasStatus()) {
        entries.add(e.getStatus());
      } else if (e.hasCaughtUp()) {
        caughtUp = true;
      } else if (e.hasGap()) {
        gaps.incrementAndGet();
      }
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(t);
    }

    @Override
    public void onCompleted() {
      ended.complete(null);
    }

    @Override
    public void close() {
      context.cancel(null);
    }
  }
}
