package org.sipline.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sipline.api.records.v1.CallRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --call-records} file: one JSON line per call, appended by one writer thread so that
 * lines from many lines' calls never interleave.
 *
 * <p>Durability: the writer takes every record queued, writes them as whole lines in one {@code
 * write} to a file opened for appending, then {@code fsync}s (data only) before it waits again. So
 * a record is on disk moments after its call ended; a crash (kill -9, power loss) loses at most the
 * records still queued, and can tear at most the last line, which {@link #read} skips. Never blocks
 * a line: {@link #append} only queues.
 */
final class CallRecordFile implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallRecordFile.class);

  /** A line longer than this is not one of ours; reading stops treating the file as records. */
  static final int MAX_LINE = 1 << 20;

  /** One queued line; the one without text tells the writer to stop. */
  private record Entry(String json) {}

  private static final Entry STOP = new Entry(null);

  private final Path path;
  private final FileChannel channel;
  private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  private CallRecordFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
    this.writer = new Thread(this::run, "sipline-call-records");
    writer.setDaemon(true);
  }

  /**
   * Opens (creates) {@code path} for appending and starts the writer. A torn last line from a crash
   * is ended with a line break first, so the next record starts a line of its own.
   */
  static CallRecordFile open(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      long size = ch.size();
      if (size > 0) {
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
          r.read(last, size - 1);
        }
        if (last.get(0) != '\n') {
          ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
          log.warn(
              "Call records {}: the last line was torn (a crash?); it is skipped on read", path);
        }
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    CallRecordFile f = new CallRecordFile(path, ch);
    f.writer.start();
    return f;
  }

  /** Queues one record's line; never blocks. After close, the record is logged as lost. */
  void append(CallRecord r) {
    if (closed) {
      log.warn("Call record of Call-ID {} not written: {} is closed", r.getCallId(), path);
      return;
    }
    queue.add(new Entry(CallRecordMessages.toJson(r)));
  }

  private void run() {
    List<Entry> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // close() interrupts only when the stop marker did not end the loop in time.
        return;
      }
      queue.drainTo(batch);
      StringBuilder sb = new StringBuilder();
      for (Entry e : batch) {
        if (e.json() == null) {
          stop = true;
        } else {
          sb.append(e.json()).append('\n');
        }
      }
      batch.clear();
      if (sb.length() > 0) {
        write(sb);
      }
    }
  }

  private void write(StringBuilder lines) {
    ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      log.error("Call records {}: writing failed; {} bytes lost", path, bytes.remaining(), e);
    }
  }

  /** Writes what is queued, then closes the file; waits at most {@code millis}. */
  void close(long millis) {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      writer.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      writer.interrupt();
      log.warn("Call records {}: {} record(s) not written before close", path, queue.size());
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("Closing call records {} failed", path, e);
    }
  }

  @Override
  public void close() {
    close(TimeUnit.SECONDS.toMillis(5));
  }

  /**
   * The newest {@code keep} records of a file; a missing file has none. Lines that are no record —
   * the torn last line of a crash — are skipped with a warning naming the line number.
   */
  static List<CallRecord> read(Path path, int keep) throws IOException {
    Deque<CallRecord> last = new ArrayDeque<>();
    if (keep == 0) {
      return List.of();
    }
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          last.addLast(CallRecordMessages.fromJson(line));
        } catch (IllegalArgumentException e) {
          log.warn("Call records {} line {} skipped: {}", path, number, e.getMessage());
          continue;
        }
        if (last.size() > keep) {
          last.removeFirst();
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return new ArrayList<>(last);
  }
}
