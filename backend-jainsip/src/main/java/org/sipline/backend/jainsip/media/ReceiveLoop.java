package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that receives RTP and RTCP for every call of the JVM: a {@link Selector} over all
 * sessions' sockets, each ready socket read into one shared buffer and handed to its {@link
 * DatagramHandler} (the call's {@link RtpReceiver} or {@link RtcpSession}). Nothing is allocated
 * per datagram by this class.
 */
final class ReceiveLoop implements AutoCloseable {
  /** The largest datagram taken; anything longer is dropped as malformed. */
  static final int MAX_DATAGRAM = 2048;

  /** Datagrams read from one socket per round, so one flooded socket cannot starve the others. */
  private static final int BURST = 64;

  /**
   * How often every receiver is told time passed ({@link RtpReceiver#idle}), whether or not its
   * socket had anything: a DTMF digit whose end packets were lost must end even when nothing else
   * arrives. Also the longest the loop sleeps.
   */
  static final long IDLE_CHECK_MILLIS = 50;

  private static final long IDLE_CHECK_NANOS = IDLE_CHECK_MILLIS * 1_000_000L;

  private static final Logger log = LoggerFactory.getLogger(ReceiveLoop.class);

  private record Registration(DatagramChannel channel, DatagramHandler handler) {}

  private final Selector selector;
  private final Queue<Registration> pending = new ConcurrentLinkedQueue<>();
  // One byte more than the largest datagram taken, to notice a longer one (receive truncates).
  private final byte[] data = new byte[MAX_DATAGRAM + 1];
  private final ByteBuffer buffer = ByteBuffer.wrap(data);
  private final Consumer<SelectionKey> onReady = this::drain;
  private final LogLimiter errorLog = new LogLimiter();
  private volatile boolean closed;
  private Thread thread;
  private long nextIdleCheck = System.nanoTime();

  private ReceiveLoop(Selector selector) {
    this.selector = selector;
  }

  static ReceiveLoop open() throws IOException {
    return new ReceiveLoop(Selector.open());
  }

  // Received RTP waits in socket buffers while this thread waits for a CPU; a hint, no more.
  @SuppressWarnings("ThreadPriorityCheck")
  void start() {
    Thread t = new Thread(this::run, "sipline-rtp-receive");
    t.setDaemon(true);
    t.setPriority(Thread.MAX_PRIORITY);
    thread = t;
    t.start();
  }

  /** Starts delivering {@code channel}'s datagrams to {@code handler}; from any thread. */
  void register(DatagramChannel channel, DatagramHandler handler) {
    pending.add(new Registration(channel, handler));
    selector.wakeup();
  }

  /**
   * Lets the loop notice closed channels at once: a channel registered with a selector releases its
   * port only when the selector next runs.
   */
  void wakeup() {
    selector.wakeup();
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("RTP receive thread did not stop within 2 s");
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.warn("Closing the RTP selector failed", e);
    }
  }

  private void run() {
    while (!closed) {
      try {
        registerPending();
        selector.select(onReady, IDLE_CHECK_MILLIS);
        idleCheck();
      } catch (IOException | RuntimeException e) {
        // Serves every call of the JVM: log and go on rather than stop receiving for all.
        if (errorLog.allow(System.nanoTime())) {
          log.error("RTP receive loop failed; continuing", e);
        }
      }
    }
  }

  /** At most every {@link #IDLE_CHECK_MILLIS}: each receiver gets the time (a few per second). */
  private void idleCheck() {
    long now = System.nanoTime();
    if (now - nextIdleCheck < 0) {
      return;
    }
    nextIdleCheck = now + IDLE_CHECK_NANOS;
    for (SelectionKey key : selector.keys()) {
      if (key.isValid() && key.attachment() instanceof RtpReceiver receiver) {
        receiver.idle();
      }
    }
  }

  private void registerPending() {
    Registration r;
    while ((r = pending.poll()) != null) {
      try {
        r.channel.register(selector, SelectionKey.OP_READ, r.handler);
      } catch (ClosedChannelException e) {
        // The session was closed before the loop got to it; nothing to receive.
      }
    }
  }

  private void drain(SelectionKey key) {
    DatagramChannel channel = (DatagramChannel) key.channel();
    DatagramHandler receiver = (DatagramHandler) key.attachment();
    try {
      for (int i = 0; i < BURST; i++) {
        buffer.clear();
        SocketAddress source = channel.receive(buffer);
        if (source == null) {
          return;
        }
        receiver.onDatagram(data, buffer.position(), (InetSocketAddress) source);
      }
    } catch (IOException e) {
      key.cancel();
      if (channel.isOpen() && errorLog.allow(System.nanoTime())) {
        log.warn("RTP socket {} failed; no more audio on it", channel.socket().getLocalPort(), e);
      }
    } catch (RuntimeException e) {
      if (errorLog.allow(System.nanoTime())) {
        log.error("RTP receiver failed on a datagram; continuing", e);
      }
    }
  }
}
