package org.sipline.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line's append-only status history: bounded (oldest dropped first), optionally journaled to a
 * JSONL file that is re-read on open so a restart — even {@code kill -9} — loses nothing that was
 * appended. Written only by the line's actor; read from any thread (reads take a snapshot).
 */
final class StatusHistory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusHistory.class);

  private final int limit;
  private final Path journal;
  private final ArrayDeque<LineStatus> entries;
  private BufferedWriter writer;
  private int journalLines;
  private volatile LineStatus latest;

  StatusHistory(int limit, Path journal) {
    this.limit = limit;
    this.journal = journal;
    this.entries = new ArrayDeque<>(Math.min(limit, 1024));
    if (journal != null) {
      reload();
      openWriter();
    }
  }

  private void reload() {
    if (!Files.exists(journal)) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read status journal " + journal, e);
    }
    long lastSeq = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        LineStatus s = StatusJson.read(line);
        if (s.sequence() <= lastSeq) {
          log.warn(
              "status journal {} line {}: sequence {} not after {}, skipped",
              journal,
              i + 1,
              s.sequence(),
              lastSeq);
          continue;
        }
        lastSeq = s.sequence();
        keep(s);
      } catch (RuntimeException e) {
        // A process killed mid-write leaves at most one torn line at the end; anything else is
        // reported too, but one bad line must not cost the rest of the history.
        log.warn(
            "status journal {} line {} unreadable, skipped: {}", journal, i + 1, e.getMessage());
      }
    }
    journalLines = lines.size();
    latest = entries.peekLast();
  }

  private void openWriter() {
    try {
      Path dir = journal.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      writer =
          Files.newBufferedWriter(
              journal,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open status journal " + journal, e);
    }
  }

  /** The sequence number the next entry must carry. */
  long nextSequence() {
    LineStatus last = latest;
    return last == null ? 1 : last.sequence() + 1;
  }

  void append(LineStatus status) {
    if (status.sequence() != nextSequence()) {
      throw new IllegalStateException(
          "sequence " + status.sequence() + " != expected " + nextSequence());
    }
    keep(status);
    latest = status;
    if (writer != null) {
      journal(status);
    }
  }

  private void keep(LineStatus status) {
    synchronized (entries) {
      entries.addLast(status);
      while (entries.size() > limit) {
        entries.removeFirst();
      }
    }
  }

  private void journal(LineStatus status) {
    try {
      writer.write(StatusJson.write(status));
      writer.write('\n');
      // Flushed per entry: the OS then holds it, which is what survives kill -9.
      writer.flush();
      if (++journalLines > 2 * limit) {
        compact();
      }
    } catch (IOException e) {
      log.error("status journal {}: append failed, history continues in memory only", journal, e);
      closeWriter();
    }
  }

  /** Rewrites the journal with only what the history still holds, atomically. */
  private void compact() throws IOException {
    Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
    List<LineStatus> snapshot = snapshot();
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (LineStatus s : snapshot) {
        w.write(StatusJson.write(s));
        w.write('\n');
      }
    }
    writer.close();
    Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    journalLines = snapshot.size();
    openWriter();
  }

  /** The newest entry, or null when the line has none yet. */
  LineStatus latest() {
    return latest;
  }

  /**
   * Up to {@code max} kept entries with a sequence number above {@code after}, oldest first. Walks
   * back from the newest entry, so a reader near the end (a watcher that keeps up) pays for what it
   * has not seen, not for the whole history.
   */
  List<LineStatus> after(long after, int max) {
    synchronized (entries) {
      ArrayDeque<LineStatus> newer = new ArrayDeque<>();
      var it = entries.descendingIterator();
      while (it.hasNext()) {
        LineStatus s = it.next();
        if (s.sequence() <= after) {
          break;
        }
        newer.addFirst(s);
        if (newer.size() > max) {
          newer.removeLast();
        }
      }
      return List.copyOf(newer);
    }
  }

  /** The oldest kept entry's sequence number, or 0 when the history is empty. */
  long oldestSequence() {
    synchronized (entries) {
      LineStatus first = entries.peekFirst();
      return first == null ? 0 : first.sequence();
    }
  }

  List<LineStatus> snapshot() {
    synchronized (entries) {
      return List.copyOf(new ArrayList<>(entries));
    }
  }

  private void closeWriter() {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException e) {
      log.warn("status journal {}: close failed", journal, e);
    }
    writer = null;
  }

  @Override
  public void close() {
    closeWriter();
  }
}
