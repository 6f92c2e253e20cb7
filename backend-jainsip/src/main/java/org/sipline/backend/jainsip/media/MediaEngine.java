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
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTP media path of one backend: the shared {@link Pacer} that sends every call's frames, the
 * one receive thread over every call's RTP and RTCP sockets, the one RTCP timer thread that sends
 * every call's reports, and the RTP port range (even RTP ports, RTCP on the odd port above, RFC
 * 3550 §11). Created once by the backend and closed by it; {@link #close} ends every session.
 */
public final class MediaEngine implements AutoCloseable {
  /** The pacer real-time priority meaning "off": the pacer runs at normal priority. */
  public static final int PACER_REALTIME_OFF = RealtimeScheduling.OFF;

  /**
   * The SCHED_FIFO priority the pacer asks for by default. Any FIFO priority already preempts every
   * normally scheduled thread, which is all the pacer needs; the number only orders it among
   * real-time threads, so it is kept low: below the kernel's threaded interrupt handlers (FIFO 50,
   * among them the network's, which carry our own packets) and its per-CPU watchdog and migration
   * threads (99), and within reach of a modest {@code ulimit -r 10} for a process without
   * CAP_SYS_NICE. A runaway FIFO pacer cannot freeze the machine: real-time throttling ({@code
   * kernel.sched_rt_runtime_us=950000} of each second, or the fair server on newer kernels) keeps
   * CPU time for normal threads, and the pacer parks between deadlines anyway.
   */
  public static final int PACER_REALTIME_DEFAULT = 10;

  /** The range of SCHED_FIFO priorities Linux accepts. */
  public static final int PACER_REALTIME_MIN = RealtimeScheduling.MIN_PRIORITY;

  public static final int PACER_REALTIME_MAX = RealtimeScheduling.MAX_PRIORITY;

  /**
   * How many ports the kernel is asked for, at most, to find an even one (RFC 3550 §11). Each odd
   * port also gives a chance at the even port below it, and the odd ones are kept bound while
   * trying so that the kernel does not hand them out again; the chance that all fail is far below
   * anything a process will meet (16 tries still failed once in a 1000-call run).
   */
  static final int EPHEMERAL_TRIES = 64;

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
  private final ScheduledExecutorService rtcpTimer;
  private final NtpTime ntp;
  private final String cname;
  private volatile boolean closed;

  private MediaEngine(
      InetAddress bindAddress,
      int portMin,
      int portMax,
      Path recordingsDir,
      MediaClock clock,
      RandomGenerator random,
      ReceiveLoop receiveLoop) {
    this.bindAddress = bindAddress;
    this.portMin = portMin;
    this.portMax = portMax;
    this.recordingsDir = recordingsDir;
    this.clock = clock;
    this.random = random;
    this.receiveLoop = receiveLoop;
    this.pacer = new Pacer(clock);
    this.ntp = new NtpTime(System.currentTimeMillis(), clock.nanoTime());
    // RFC 7022: a random CNAME per process, so that reports reveal no user or host name.
    byte[] id = new byte[12];
    random.nextBytes(id);
    this.cname = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "sipline-rtcp");
              thread.setDaemon(true);
              return thread;
            });
    // A call's cancelled report must not stay queued until its time comes.
    t.setRemoveOnCancelPolicy(true);
    this.rtcpTimer = Executors.unconfigurableScheduledExecutorService(t);
    // Start the search at a random port so that a restarted process does not at once reuse the
    // ports whose peers may still be sending to them.
    this.nextPort = new AtomicInteger(portMin == 0 ? 0 : random.nextInt(evenPorts()));
  }

  /**
   * {@link #start(InetAddress, int, int, Path, MediaClock, int)} on the system clock, the pacer
   * asking for SCHED_FIFO at {@link #PACER_REALTIME_DEFAULT}.
   */
  public static MediaEngine start(
      InetAddress bindAddress, int rtpPortMin, int rtpPortMax, Path recordingsDir)
      throws IOException {
    return start(
        bindAddress,
        rtpPortMin,
        rtpPortMax,
        recordingsDir,
        MediaClock.system(),
        PACER_REALTIME_DEFAULT);
  }

  /**
   * {@link #start(InetAddress, int, int, Path, MediaClock, int)}, the pacer asking for SCHED_FIFO
   * at {@link #PACER_REALTIME_DEFAULT}.
   */
  public static MediaEngine start(
      InetAddress bindAddress, int rtpPortMin, int rtpPortMax, Path recordingsDir, MediaClock clock)
      throws IOException {
    return start(bindAddress, rtpPortMin, rtpPortMax, recordingsDir, clock, PACER_REALTIME_DEFAULT);
  }

  /**
   * Starts the pacer and receive threads.
   *
   * @param bindAddress the local address RTP sockets bind to
   * @param rtpPortMin lowest RTP port; 0 together with {@code rtpPortMax} 0 means any free port
   * @param rtpPortMax highest RTP port; only even ports of the range are used
   * @param recordingsDir where each call's received audio is written as WAV (created when missing),
   *     or null for no recordings
   * @param clock the clock the pacer runs on
   * @param pacerRealtime the SCHED_FIFO priority ({@value #PACER_REALTIME_MIN}..{@value
   *     #PACER_REALTIME_MAX}) the pacer thread asks for, or {@link #PACER_REALTIME_OFF}; when the
   *     system refuses, it runs at normal priority after one warning (see {@link #pacerScheduling})
   * @throws IllegalArgumentException for a range without even ports or out of 1..65535, or a
   *     priority out of range
   * @throws IOException when the recordings directory cannot be created or the selector opened
   */
  public static MediaEngine start(
      InetAddress bindAddress,
      int rtpPortMin,
      int rtpPortMax,
      Path recordingsDir,
      MediaClock clock,
      int pacerRealtime)
      throws IOException {
    return start(
        bindAddress,
        rtpPortMin,
        rtpPortMax,
        recordingsDir,
        clock,
        new SecureRandom(),
        RealtimeScheduling.of(pacerRealtime));
  }

  /** On {@code random}, the pacer at normal priority: what the package's tests run. */
  static MediaEngine start(
      InetAddress bindAddress,
      int rtpPortMin,
      int rtpPortMax,
      Path recordingsDir,
      MediaClock clock,
      RandomGenerator random)
      throws IOException {
    return start(
        bindAddress,
        rtpPortMin,
        rtpPortMax,
        recordingsDir,
        clock,
        random,
        RealtimeScheduling.off());
  }

  static MediaEngine start(
      InetAddress bindAddress,
      int rtpPortMin,
      int rtpPortMax,
      Path recordingsDir,
      MediaClock clock,
      RandomGenerator random,
      RealtimeScheduling realtime)
      throws IOException {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(realtime, "realtime");
    checkRange(rtpPortMin, rtpPortMax);
    if (recordingsDir != null) {
      Files.createDirectories(recordingsDir);
    }
    ReceiveLoop loop = ReceiveLoop.open();
    MediaEngine engine =
        new MediaEngine(bindAddress, rtpPortMin, rtpPortMax, recordingsDir, clock, random, loop);
    try {
      engine.pacer.start(realtime);
    } catch (RuntimeException e) {
      engine.pacer.close();
      loop.close();
      throw e;
    }
    // The receive thread stays at normal priority: it runs whenever datagrams arrive, and
    // anyone can send them, so at FIFO priority a flood from outside would take a CPU from
    // every normal thread (SIP, gRPC) up to the throttling limit. Its lateness only delays
    // audio into the reorder buffer, which absorbs it; the pacer's is heard by the peer.
    loop.start();
    log.info(
        "RTP media on {} ports {}, recordings {}",
        bindAddress.getHostAddress(),
        rtpPortMin == 0 ? "any" : rtpPortMin + "-" + rtpPortMax,
        recordingsDir == null ? "off" : recordingsDir);
    return engine;
  }

  private static void checkRange(int min, int max) {
    if (min == 0 && max == 0) {
      return;
    }
    if (min < 1 || max > 65535 || min > max) {
      throw new IllegalArgumentException(
          "RTP port range invalid: "
              + min
              + "-"
              + max
              + " (want 1 <= min <= max <= 65535, or 0-0 for any port)");
    }
    if (min == max && min % 2 != 0) {
      throw new IllegalArgumentException(
          "RTP port range " + min + "-" + max + " holds no even port");
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
    PortPair ports = portMin == 0 ? bindEphemeral() : bindInRange();
    int port = ((InetSocketAddress) ports.rtp().getLocalAddress()).getPort();
    MediaSession session =
        new MediaSession(this, ports.rtp(), ports.rtcp(), port, clock.nanoTime());
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
    rtcpTimer.shutdownNow();
  }

  /**
   * Tells {@code observer} how late (ns) each of the pacer's ticks was served, on the pacer's
   * thread: it must return at once (metrics).
   */
  public void observePacing(LongConsumer observer) {
    pacer.observeLag(observer);
  }

  /** How the kernel schedules the pacer thread, as set when the engine started. */
  public PacerScheduling pacerScheduling() {
    return pacer.scheduling();
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

  ScheduledExecutorService rtcpTimer() {
    return rtcpTimer;
  }

  NtpTime ntp() {
    return ntp;
  }

  String cname() {
    return cname;
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
      log.error(
          "Cannot record Call-ID {} in {}; the call goes on unrecorded", callId, recordingsDir, e);
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
    return DatagramChannel.open(
        bindAddress instanceof Inet6Address
            ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET);
  }

  /** A call's RTP socket on an even port and its RTCP socket on the odd port above. */
  record PortPair(DatagramChannel rtp, DatagramChannel rtcp) {}

  private PortPair bindInRange() throws IOException {
    int firstEven = portMin + (portMin & 1);
    int count = evenPorts();
    int start = Math.floorMod(nextPort.getAndIncrement(), count);
    for (int i = 0; i < count; i++) {
      int port = firstEven + 2 * ((start + i) % count);
      DatagramChannel rtp = bindFreeNonBlocking(port);
      if (rtp == null) {
        continue;
      }
      // RTCP may take the odd port just above the range's top: the range names RTP ports.
      DatagramChannel rtcp = port < 65535 ? bindFreeNonBlocking(port + 1) : null;
      if (rtcp == null) {
        rtp.close();
        continue;
      }
      nextPort.set(start + i + 1);
      return new PortPair(rtp, rtcp);
    }
    throw new IOException(
        "no free even RTP port (with its RTCP port above) in "
            + portMin
            + "-"
            + portMax
            + " on "
            + bindAddress.getHostAddress());
  }

  /** A non-blocking channel on {@code port}, or null when the port is taken. */
  private DatagramChannel bindFreeNonBlocking(int port) throws IOException {
    DatagramChannel channel = openChannel();
    try {
      channel.bind(new InetSocketAddress(bindAddress, port));
      channel.configureBlocking(false);
      return channel;
    } catch (BindException e) {
      channel.close();
      return null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private PortPair bindEphemeral() throws IOException {
    return bindPairEphemeral(this::bindChannel, EPHEMERAL_TRIES, bindAddress.getHostAddress());
  }

  /**
   * An even port the kernel picked ({@link #bindEvenEphemeral}) with the odd port above it free for
   * RTCP; an even port whose neighbour is taken stays bound while the next is tried, so that the
   * kernel does not offer it again.
   *
   * @throws IOException naming the tries when no such pair was found
   */
  static PortPair bindPairEphemeral(PortBinder binder, int tries, String address)
      throws IOException {
    List<DatagramChannel> held = new ArrayList<>();
    try {
      for (int i = 0; i < tries; i++) {
        DatagramChannel rtp = bindEvenEphemeral(binder, tries, address);
        held.add(rtp);
        int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
        DatagramChannel rtcp = port < 65535 ? bindIfFree(binder, port + 1, held) : null;
        if (rtcp != null) {
          rtcp.configureBlocking(false);
          held.remove(rtp);
          held.remove(rtcp);
          return new PortPair(rtp, rtcp);
        }
      }
      throw new IOException(
          "no even ephemeral UDP port with a free odd port above it on "
              + address
              + " after "
              + tries
              + " tries");
    } finally {
      for (DatagramChannel c : held) {
        c.close();
      }
    }
  }

  /** A channel bound to {@code port} on the bind address (0: one the kernel picks). */
  private DatagramChannel bindChannel(int port) throws IOException {
    DatagramChannel channel = openChannel();
    try {
      channel.bind(new InetSocketAddress(bindAddress, port));
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Binds a UDP channel to a port; 0 lets the kernel pick a free one. */
  interface PortBinder {
    DatagramChannel bind(int port) throws IOException;
  }

  /**
   * A non-blocking channel on an even port the kernel picked: asks for any port up to {@code tries}
   * times; an odd answer p is kept bound (so that the kernel does not offer it again) and the even
   * p − 1 is tried at once.
   *
   * @throws IOException naming the tries when no even port was found
   */
  static DatagramChannel bindEvenEphemeral(PortBinder binder, int tries, String address)
      throws IOException {
    // The list holds every channel not (yet) returned, so that all of them are closed however
    // this ends.
    List<DatagramChannel> held = new ArrayList<>();
    try {
      for (int i = 0; i < tries; i++) {
        DatagramChannel any = binder.bind(0);
        held.add(any);
        int port = ((InetSocketAddress) any.getLocalAddress()).getPort();
        DatagramChannel even = port % 2 == 0 ? any : bindIfFree(binder, port - 1, held);
        if (even != null) {
          even.configureBlocking(false);
          held.remove(even);
          return even;
        }
      }
      throw new IOException(
          "no even ephemeral UDP port on "
              + address
              + " after "
              + tries
              + " tries (each odd port's even neighbour taken as well)");
    } finally {
      for (DatagramChannel c : held) {
        c.close();
      }
    }
  }

  /** {@code port} bound, added to {@code held}; null when it is taken. */
  private static DatagramChannel bindIfFree(PortBinder binder, int port, List<DatagramChannel> held)
      throws IOException {
    if (port < 1) {
      return null;
    }
    try {
      DatagramChannel c = binder.bind(port);
      held.add(c);
      return c;
    } catch (BindException e) {
      return null;
    }
  }
}
