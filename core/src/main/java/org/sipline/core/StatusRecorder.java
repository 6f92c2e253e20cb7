package org.sipline.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a line's status changes: {@link #record} appends to the history, logs the change
 * and tells the watchers. Called only from the line's actor, so entries are totally ordered.
 */
final class StatusRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("org.sipline.line");

  private final StatusHistory history;
  private final Clock clock;
  private final List<Consumer<LineStatus>> watchers = new CopyOnWriteArrayList<>();

  /** What a line that has recorded nothing yet answers: the same status every time. */
  private final LineStatus initial;

  StatusRecorder(StatusHistory history, Clock clock) {
    this.history = history;
    this.clock = clock;
    this.initial =
        new LineStatus(
            0,
            "",
            clock.instant(),
            StatusType.NO_SESSION,
            "",
            "",
            Map.of(),
            "no session: call SipRegisterAccount first",
            "",
            "",
            "");
  }

  /** The facts a status carries besides its type. */
  record Facts(
      String account, String callee, String transfer, Map<String, String> headers, String nlu) {
    static final Facts NONE = new Facts("", "", "", Map.of(), "");
  }

  LineStatus record(StatusType type, Facts facts, String description, Throwable error) {
    LineStatus s =
        new LineStatus(
            history.nextSequence(),
            facts.account(),
            clock.instant(),
            type,
            facts.callee(),
            facts.transfer(),
            facts.headers(),
            description,
            error == null ? "" : error.getClass().getName(),
            error == null ? "" : traceback(error),
            facts.nlu());
    history.append(s);
    if (error == null) {
      log.info("line {} -> {}: {}", facts.account(), type, description);
    } else {
      log.warn("line {} -> {}: {}", facts.account(), type, description, error);
    }
    for (Consumer<LineStatus> w : watchers) {
      try {
        w.accept(s);
      } catch (RuntimeException e) {
        log.warn("status watcher failed on {}", type, e);
      }
    }
    return s;
  }

  /** An answer that changes nothing: the latest entry's facts under another type. */
  LineStatus answer(StatusType type, Facts facts, String description) {
    LineStatus latest = history.latest();
    long seq = latest == null ? 0 : latest.sequence();
    return new LineStatus(
        seq,
        facts.account(),
        clock.instant(),
        type,
        facts.callee(),
        facts.transfer(),
        facts.headers(),
        description,
        "",
        "",
        facts.nlu());
  }

  /** The latest entry, or a NO_SESSION answer on a line that has none. */
  LineStatus latest() {
    LineStatus latest = history.latest();
    return latest != null ? latest : initial;
  }

  List<LineStatus> history() {
    return history.snapshot();
  }

  List<LineStatus> historyAfter(long after, int max) {
    return history.after(after, max);
  }

  long oldestSequence() {
    return history.oldestSequence();
  }

  AutoCloseable watch(Consumer<LineStatus> watcher) {
    watchers.add(watcher);
    return () -> watchers.remove(watcher);
  }

  private static String traceback(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  @Override
  public void close() {
    watchers.clear();
    history.close();
  }
}
