package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.ServerCallStreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.StatusProbe;

/**
 * Issue 13, WatchStatus fan-out: a status is made into its event once, shared by every watcher of
 * its line, and the shared event carries exactly what a freshly built one would.
 */
class StatusEventsTest {
  private final StatusEvents events = new StatusEvents();

  @Test
  void aStatusIsMadeIntoOneEventForEveryWatcherWithTheSameContentAsAFreshOne() {
    LineStatus s = status(7, "INVITE bob@example.org: 486 Busy Here \u00e9\u4e2d");
    WatchEvent first = events.of("line-0", s);

    assertThat(events.of("line-0", s)).isSameAs(first);
    WatchEvent fresh =
        WatchEvent.newBuilder()
            .setStatus(
                StatusEntry.newBuilder()
                    .setLine("line-0")
                    .setSeq(7)
                    .setStatus(StatusMessages.toProto(s)))
            .build();
    assertThat(first).isEqualTo(fresh);
    assertThat(first.toByteString()).isEqualTo(fresh.toByteString());
    assertThat(first.getStatus().getStatus().getDescription()).endsWith("\u00e9\u4e2d");
  }

  @Test
  void theNewestStatusGoesToEveryStreamAsTheBytesItWasEncodedToOnce() throws Exception {
    LineStatus s = status(11, "BYE from bob@example.org \u00e9\u4e2d");
    WatchEvent live = events.of("line-0", s);
    WatchEventMarshaller marshaller = new WatchEventMarshaller(events);

    byte[] once = events.encoded(live);
    assertThat(once).isEqualTo(live.toByteArray());
    for (int watcher = 0; watcher < 3; watcher++) {
      java.io.InputStream in = marshaller.stream(live);
      assertThat(in).isInstanceOf(WatchEventMarshaller.Encoded.class);
      assertThat(((io.grpc.KnownLength) in).available()).isEqualTo(once.length);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      assertThat(((io.grpc.Drainable) in).drainTo(out)).isEqualTo(once.length);
      assertThat(out.toByteArray()).isEqualTo(once);
      assertThat(in.available()).isZero();
    }
    assertThat(events.encoded(live)).isSameAs(once);
    assertThat(marshaller.parse(marshaller.stream(live))).isEqualTo(live);
  }

  @Test
  void anyOtherEventIsEncodedAsUsualAndReadsBackTheSame() {
    WatchEventMarshaller marshaller = new WatchEventMarshaller(events);
    WatchEvent live = events.of("line-0", status(5, "newest"));
    WatchEvent older = events.of("line-0", status(4, "read by a catch-up"));
    WatchEvent equalButNotShared = StatusEvents.make("line-0", status(5, "newest"));
    WatchEvent gap =
        WatchEvent.newBuilder()
            .setGap(
                org.sipline.api.lines.v1.Gap.newBuilder()
                    .setLine("line-0")
                    .setFirstMissingSeq(1)
                    .setLastMissingSeq(3)
                    .setOldestSeq(4)
                    .setReason("fell behind"))
            .build();

    for (WatchEvent e : List.of(older, equalButNotShared, gap)) {
      assertThat(events.encoded(e)).isNull();
      assertThat(marshaller.stream(e)).isNotInstanceOf(WatchEventMarshaller.Encoded.class);
      assertThat(marshaller.parse(marshaller.stream(e))).isEqualTo(e);
    }
    assertThat(events.encoded(live)).isNotNull();
    events.forget("line-0");
    assertThat(events.encoded(live)).as("a forgotten line's event").isNull();
  }

  @Test
  void theServerBindsWatchStatusWithTheEncodedOnceMarshaller() throws Exception {
    try (RunningServer running = RunningServer.start(b -> b)) {
      io.grpc.ServerMethodDefinition<?, ?> watch =
          running.server.services().stream()
              .map(
                  d ->
                      d.getMethod(
                          org.sipline.api.lines.v1.LinesGrpc.getWatchStatusMethod()
                              .getFullMethodName()))
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElseThrow();
      assertThat(watch.getMethodDescriptor().getResponseMarshaller())
          .isInstanceOf(WatchEventMarshaller.class);
      io.grpc.ServerMethodDefinition<?, ?> list =
          running.server.services().stream()
              .map(
                  d ->
                      d.getMethod(
                          org.sipline.api.lines.v1.LinesGrpc.getListLinesMethod()
                              .getFullMethodName()))
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElseThrow();
      assertThat(list.getMethodDescriptor())
          .isSameAs(org.sipline.api.lines.v1.LinesGrpc.getListLinesMethod());
    }
  }

  @Test
  void eachLineAndEachStatusHasItsOwnEventAndCatchingUpKeepsTheNewest() {
    LineStatus older = status(3, "older");
    LineStatus newer = status(4, "newer");
    WatchEvent live = events.of("line-0", newer);

    WatchEvent other = events.of("line-1", newer);
    assertThat(other).isNotSameAs(live);
    assertThat(other.getStatus().getLine()).isEqualTo("line-1");
    // A catch-up reading an older entry gets that entry, and the newest stays made.
    assertThat(events.of("line-0", older).getStatus().getSeq()).isEqualTo(3);
    assertThat(events.of("line-0", newer)).isSameAs(live);
    // An equal status that is another entry (another line of that name) is not taken for it.
    LineStatus again = status(4, "newer");
    assertThat(events.of("line-0", again)).isNotSameAs(live).isEqualTo(live);
  }

  @Test
  void aLineCreatedAgainUnderAForgottenNameStartsAfresh() {
    WatchEvent old = events.of("extra", status(9, "old line"));
    events.forget("extra");
    LineStatus renewed = status(1, "new line");

    WatchEvent first = events.of("extra", renewed);
    assertThat(first).isNotSameAs(old);
    assertThat(events.of("extra", renewed)).isSameAs(first);
  }

  @Test
  void watchersOfOneLineAreHandedTheSameEventForEachStatus() throws Exception {
    try (Line line = Line.open(new FakeBackend(), LineConfig.defaults())) {
      List<CollectingCall> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        CollectingCall call = new CollectingCall();
        StatusWatch w = new StatusWatch(call, Runnable::run, events, 16, "test " + i);
        w.add("line-0", line, line.status().sequence());
        w.start();
        calls.add(call);
      }
      line.registerAccount("alice@example.org", "", "", "").get(10, TimeUnit.SECONDS);
      StatusProbe.awaitTrue(
          () ->
              calls.stream()
                  .allMatch(
                      c ->
                          c.statuses().stream()
                              .anyMatch(
                                  e ->
                                      e.getStatus().getStatus().getStatusType()
                                          == org.sipline.api.sip.SipStatus.StatusType.REGISTERED)),
          "every watcher sent REGISTERED",
          java.time.Duration.ofSeconds(10));

      List<WatchEvent> firstWatcher = calls.get(0).statuses();
      assertThat(firstWatcher).isNotEmpty();
      for (CollectingCall other : calls.subList(1, calls.size())) {
        List<WatchEvent> got = other.statuses();
        assertThat(got).hasSameSizeAs(firstWatcher);
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i)).isSameAs(firstWatcher.get(i));
        }
      }
    }
  }

  private static LineStatus status(long seq, String description) {
    return new LineStatus(
        seq,
        "alice@example.org",
        Instant.parse("2026-12-07T09:00:00.123456Z"),
        StatusType.OUTGOING_CALL_FAILED,
        "bob@example.org",
        "",
        Map.of("X-Case", "fan-out"),
        description,
        "",
        "",
        "");
  }

  /** A WatchStatus call that is always ready and keeps what it is sent. */
  private static final class CollectingCall extends ServerCallStreamObserver<WatchEvent> {
    private final List<WatchEvent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    List<WatchEvent> statuses() {
      return sent.stream().filter(WatchEvent::hasStatus).toList();
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void onNext(WatchEvent value) {
      sent.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
