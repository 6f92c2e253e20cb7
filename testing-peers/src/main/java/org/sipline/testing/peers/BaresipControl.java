package org.sipline.testing.peers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ctrl_tcp client a baresip allows: sends commands as netstring JSON ({@code
 * {"command":…,"params":…,"token":…}}) and reads its responses and pushed events on a reader thread
 * this object owns and stops in {@link #close()}.
 */
final class BaresipControl implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BaresipControl.class);
  private static final int CONNECT_TIMEOUT_MS = 2000;

  private final String name;
  private final Socket socket;
  private final OutputStream out;
  private final Thread reader;
  private final AtomicLong tokens = new AtomicLong();
  private final Map<String, CompletableFuture<BaresipResponse>> pending = new ConcurrentHashMap<>();

  /** Guarded by itself; waiters are woken on each new event and when reading stops. */
  private final List<BaresipEvent> events = new ArrayList<>();

  private volatile Exception readFailure;
  private volatile boolean closed;

  BaresipControl(String name, int port) throws IOException {
    this.name = name;
    this.socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    this.out = socket.getOutputStream();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    this.reader = new Thread(() -> readLoop(in), name + "-ctrl-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Runs {@code command} (with {@code params}, may be null) and returns baresip's response.
   *
   * @throws PeerException when no response arrives within {@code timeout}
   */
  BaresipResponse command(String command, String params, Duration timeout) {
    String token = "t" + tokens.incrementAndGet();
    Map<String, String> message = new LinkedHashMap<>();
    message.put("command", command);
    if (params != null) {
      message.put("params", params);
    }
    message.put("token", token);
    CompletableFuture<BaresipResponse> response = new CompletableFuture<>();
    pending.put(token, response);
    try {
      synchronized (out) {
        out.write(Netstrings.encode(Json.writeObject(message)));
        out.flush();
      }
      return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw new PeerException(name + ": sending command '" + command + "' failed", e);
    } catch (TimeoutException e) {
      throw new PeerException(
          name
              + ": no response to command '"
              + command
              + "' within "
              + timeout
              + readFailureNote());
    } catch (ExecutionException e) {
      throw new PeerException(name + ": command '" + command + "' got no response", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException("interrupted while waiting for " + name, e);
    } finally {
      pending.remove(token);
    }
  }

  /** Every event received so far, oldest first. */
  List<BaresipEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /**
   * The first event, received so far or within {@code timeout}, that matches {@code filter}.
   *
   * @throws PeerException listing the events received when none matches in time
   */
  BaresipEvent awaitEvent(Predicate<BaresipEvent> filter, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      int checked = 0;
      while (true) {
        for (; checked < events.size(); checked++) {
          if (filter.test(events.get(checked))) {
            return events.get(checked);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || readFailure != null || closed) {
          throw new PeerException(
              name
                  + ": no matching event within "
                  + timeout
                  + readFailureNote()
                  + "; events received: "
                  + summary(events));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new PeerException("interrupted while waiting for a " + name + " event", e);
        }
      }
    }
  }

  private void readLoop(InputStream in) {
    try {
      String message;
      while ((message = Netstrings.read(in)) != null) {
        dispatch(message);
      }
    } catch (IOException | IllegalArgumentException e) {
      if (!closed) {
        readFailure = e;
        log.warn("{}: ctrl_tcp stream unusable: {}", name, e.toString());
      }
    } finally {
      pending
          .values()
          .forEach(
              f ->
                  f.completeExceptionally(
                      new PeerException(name + ": ctrl_tcp connection ended" + readFailureNote())));
      synchronized (events) {
        events.notifyAll();
      }
    }
  }

  private void dispatch(String message) {
    Map<String, Object> json = Json.parseObject(message);
    if (Boolean.TRUE.equals(json.get("event"))) {
      BaresipEvent event = BaresipEvent.of(json);
      log.debug("{} event {} {} {}", name, event.type(), event.peerUri(), event.param());
      synchronized (events) {
        events.add(event);
        events.notifyAll();
      }
    } else if (Boolean.TRUE.equals(json.get("response"))) {
      Object token = json.get("token");
      CompletableFuture<BaresipResponse> waiting = token == null ? null : pending.get(token);
      if (waiting != null) {
        waiting.complete(
            new BaresipResponse(
                Boolean.TRUE.equals(json.get("ok")),
                json.get("data") instanceof String data ? data : ""));
      }
    } else {
      throw new IllegalArgumentException(
          "ctrl_tcp message is neither event nor response: " + message);
    }
  }

  private String readFailureNote() {
    Exception failure = readFailure;
    return failure == null ? "" : " (reading failed: " + failure + ")";
  }

  private static String summary(List<BaresipEvent> events) {
    return events.stream()
        .map(e -> e.type() + (e.param() == null ? "" : "(" + e.param() + ")"))
        .toList()
        .toString();
  }

  /** Closes the connection and waits for the reader thread to end. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("{}: closing ctrl_tcp socket: {}", name, e.toString());
    }
    try {
      reader.join(PeerProcess.STOP_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reader.isAlive()) {
      throw new PeerException(
          name + ": ctrl_tcp reader thread still running after " + PeerProcess.STOP_GRACE);
    }
  }
}
