package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTP media path of one backend: the shared {@link Pacer} that sends every call's frames,
 * the one receive thread over every call's socket, and the RTP port range. Created once by the
 * backend and closed by it; {@link #close} ends every session.
 */
public final class MediaEngine implements AutoCloseable {
  /** How often binding an ephemeral port is retried to get an even one (RFC 3550 §11). */
  private static final int EPHEMERAL_TRIES = 16;

  private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

  private final InetAddress bindAddress;
  private final int portMin;
  private final int portMax;
  private final Path recordingsDir;
  private final MediaClock clock;
  private final RandomGenerator random;
  private final Pacer pacer;
  private final ReceiveLoop receiveLoop;
  private final Set<MediaSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger nextPort;
  private volatile boolean closed;

  private MediaEngine(InetAddress bindAddress, int portMin, int portMax, Path recordingsDir,
      MediaClock clock, RandomGenerator random, ReceiveLoop receiveLoop) {
    this.bindAddress = bindAddress;
    this.portMin = portMin;
    this.portMax = portMax;
    this.recordingsDir = recordingsDir;
    this.clock = clock;
    this.random = random;
    this.receiveLoop = receiveLoop;
    this.pacer = new Pacer(clock);
    // Start the search at a random port so that a restarted process does not at once reuse the
    // ports whose peers may still be sending to them.
    this.nextPort = new AtomicInteger(portMin == 0 ? 0 : random.nextInt(evenPorts()));
  }

  /** {@link #start(InetAddress, int, int, Path, MediaClock)} on the system clock. */
  public static MediaEngine start(InetAddress bindAddress, int rtpPortMin, int rtpPortMax,
      Path recordingsDir) throws IOException {
    return start(bindAddress, rtpPortMin, rtpPortMax, recordingsDir, MediaClock.system());
  }

  /**
   * Starts the pacer and receive threads.
   *
   * @param bindAddress the local address RTP sockets bind to
   * @param rtpPortMin lowest RTP port; 0 together with {@code rtpPortMax} 0 means any free port
   * @param rtpPortMax highest RTP port; only even ports of the range are used
   * @param recordingsDir where each call's received audio is written as WAV (created when
   *     missing), or null for no recordings
   * @param clock the clock the pacer runs on
   * @throws IllegalArgumentException for a range without even ports or out of 1..65535
   * @throws IOException when the recordings directory cannot be created or the selector opened
   */
  public static MediaEngine start(InetAddress bindAddress, int rtpPortMin, int rtpPortMax,
      Path recordingsDir, MediaClock clock) throws IOException {
    return start(bindAddress, rtpPortMin, rtpPortMax, recordingsDir, clock, new SecureRandom());
  }

  static MediaEngine start(InetAddress bindAddress, int rtpPortMin, int rtpPortMax,
      Path recordingsDir, MediaClock clock, RandomGenerator random) throws IOException {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    checkRange(rtpPortMin, rtpPortMax);
    if (recordingsDir != null) {
      Files.createDirectories(recordingsDir);
    }
    ReceiveLoop loop = ReceiveLoop.open();
    MediaEngine engine = new MediaEngine(bindAddress, rtpPortMin, rtpPortMax, recordingsDir,
        clock, random, loop);
    engine.pacer.start();
    loop.start();
    log.info("RTP media on {} ports {}, recordings {}", bindAddress.getHostAddress(),
        rtpPortMin == 0 ? "any" : rtpPortMin + "-" + rtpPortMax,
        recordingsDir == null ? "off" : recordingsDir);
    return engine;
  }

  private static void checkRange(int min, int max) {
    if (min == 0 && max == 0) {
      return;
    }
    if (min < 1 || max > 65535 || min > max) {
      throw new IllegalArgumentException("RTP port range invalid: " + min + "-" + max
          + " (want 1 <= min <= max <= 65535, or 0-0 for any port)");
    }
    if (min == max && min % 2 != 0) {
      throw new IllegalArgumentException("RTP port range " + min + "-" + max
          + " holds no even port");
    }
  }

  /**
   * Reserves an even UDP port for a call's RTP; the session sends nothing until started.
   *
   * @throws IOException when every even port of the range is taken
   * @throws IllegalStateException when the engine is closed
   */
  public MediaSession allocate() throws IOException {
    if (closed) {
      throw new IllegalStateException("media engine closed");
    }
    DatagramChannel channel = portMin == 0 ? bindEphemeral() : bindInRange();
    int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    MediaSession session = new MediaSession(this, channel, port, clock.nanoTime());
    sessions.add(session);
    if (closed) {
      // close() may have missed a session added while it ran.
      session.close();
      throw new IllegalStateException("media engine closed");
    }
    return session;
  }

  /** Closes every session, then stops the pacer and receive threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (MediaSession s : List.copyOf(sessions)) {
      s.close();
    }
    pacer.close();
    receiveLoop.close();
  }

  /** Sessions allocated and not closed. */
  int openSessions() {
    return sessions.size();
  }

  MediaClock clock() {
    return clock;
  }

  RandomGenerator random() {
    return random;
  }

  Pacer pacer() {
    return pacer;
  }

  ReceiveLoop receiveLoop() {
    return receiveLoop;
  }

  /** The recording for a call, or null when recordings are off or the file cannot be made. */
  WavRecorder openRecorder(String callId) {
    if (recordingsDir == null) {
      return null;
    }
    try {
      return WavRecorder.create(recordingsDir, callId);
    } catch (IOException e) {
      log.error("Cannot record Call-ID {} in {}; the call goes on unrecorded", callId,
          recordingsDir, e);
      return null;
    }
  }

  void released(MediaSession session) {
    sessions.remove(session);
    receiveLoop.wakeup();
  }

  private int evenPorts() {
    int firstEven = portMin + (portMin & 1);
    return (portMax - firstEven) / 2 + 1;
  }

  /**
   * A socket of the bind address's family: an IPv4 bind address gets an IPv4 socket, so that
   * sources compare equal to the SDP's IPv4 address instead of arriving as IPv6.
   */
  private DatagramChannel openChannel() throws IOException {
    return DatagramChannel.open(bindAddress instanceof Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
  }

  private DatagramChannel bindInRange() throws IOException {
    int firstEven = portMin + (portMin & 1);
    int count = evenPorts();
    int start = Math.floorMod(nextPort.getAndIncrement(), count);
    for (int i = 0; i < count; i++) {
      int port = firstEven + 2 * ((start + i) % count);
      DatagramChannel channel = openChannel();
      try {
        channel.bind(new InetSocketAddress(bindAddress, port));
        channel.configureBlocking(false);
        nextPort.set(start + i + 1);
        return channel;
      } catch (BindException e) {
        channel.close();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }
    throw new IOException("no free even RTP port in " + portMin + "-" + portMax + " on "
        + bindAddress.getHostAddress());
  }

  private DatagramChannel bindEphemeral() throws IOException {
    // Odd ports are kept bound while trying, so the kernel does not hand them out again; the
    // list holds every channel not (yet) returned, so that all of them are closed on failure.
    List<DatagramChannel> odd = new ArrayList<>();
    try {
      for (int i = 0; i < EPHEMERAL_TRIES; i++) {
        DatagramChannel channel = openChannel();
        try {
          channel.bind(new InetSocketAddress(bindAddress, 0));
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        odd.add(channel);
        if (((InetSocketAddress) channel.getLocalAddress()).getPort() % 2 == 0) {
          channel.configureBlocking(false);
          odd.remove(channel);
          return channel;
        }
      }
      throw new IOException("no even ephemeral UDP port on " + bindAddress.getHostAddress()
          + " after " + EPHEMERAL_TRIES + " tries");
    } finally {
      for (DatagramChannel c : odd) {
        c.close();
      }
    }
  }
}
