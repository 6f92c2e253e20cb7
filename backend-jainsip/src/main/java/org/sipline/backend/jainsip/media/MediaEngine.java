package org.sipline.backend.jainsip.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTP media path of one backend: the shared {@link Pacers} that send every call's frames (one
 * thread per core, each with its share of the calls), the one receive thread over every call's RTP
 * and RTCP sockets, the one RTCP timer thread that sends every call's reports, and the calls' ports
 * ({@link RtpPortAllocator}). Started once by the backend with its {@link MediaEngineOptions} and
 * closed by it; {@link #close} ends every session.
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

  private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

  private final RtpPortAllocator ports;
  private final Path recordingsDir;
  private final RecordingWriter recordingWriter;
  private final MediaClock clock;
  private final RandomGenerator random;
  private final Pacers pacers;
  private final ReceiveLoop receiveLoop;
  private final Set<MediaSession> sessions = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService rtcpTimer;
  private final NtpTime ntp;
  private final String cname;
  private volatile boolean closed;

  private MediaEngine(
      RtpPortAllocator ports,
      Path recordingsDir,
      MediaClock clock,
      RandomGenerator random,
      ReceiveLoop receiveLoop) {
    this.ports = ports;
    this.recordingsDir = recordingsDir;
    this.recordingWriter = recordingsDir == null ? null : RecordingWriter.start();
    this.clock = clock;
    this.random = random;
    this.receiveLoop = receiveLoop;
    this.pacers = new Pacers(clock, Pacers.forCores());
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
  }

  /**
   * Starts the pacer and receive threads.
   *
   * <p>When the system refuses the pacer's real-time priority, it runs at normal priority after one
   * warning (see {@link #pacerScheduling}).
   *
   * @throws IllegalArgumentException for a port range without even ports or out of 1..65535, or a
   *     pacer priority out of range
   * @throws IOException when the recordings directory cannot be created or the selector opened
   */
  public static MediaEngine start(MediaEngineOptions options) throws IOException {
    RandomGenerator random = options.random();
    RealtimeScheduling realtime = RealtimeScheduling.of(options.pacerRealtime());
    RtpPortAllocator ports =
        new RtpPortAllocator(
            options.bindAddress(), options.rtpPortMin(), options.rtpPortMax(), random);
    Path recordingsDir = options.recordingsDir();
    if (recordingsDir != null) {
      Files.createDirectories(recordingsDir);
    }
    ReceiveLoop loop = ReceiveLoop.open();
    MediaEngine engine = new MediaEngine(ports, recordingsDir, options.clock(), random, loop);
    try {
      engine.pacers.start(realtime);
    } catch (RuntimeException e) {
      engine.pacers.close();
      loop.close();
      if (engine.recordingWriter != null) {
        engine.recordingWriter.close();
      }
      throw e;
    }
    // The receive thread stays at normal priority: it runs whenever datagrams arrive, and
    // anyone can send them, so at FIFO priority a flood from outside would take a CPU from
    // every normal thread (SIP, gRPC) up to the throttling limit. Its lateness only delays
    // audio into the reorder buffer, which absorbs it; the pacer's is heard by the peer.
    loop.start();
    log.info(
        "RTP media on {} ports {}, recordings {}",
        options.bindAddress().getHostAddress(),
        ports.describe(),
        recordingsDir == null ? "off" : recordingsDir);
    return engine;
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
    RtpPortAllocator.PortPair pair = ports.allocate();
    int port = ((InetSocketAddress) pair.rtp().getLocalAddress()).getPort();
    MediaSession session = new MediaSession(this, pair.rtp(), pair.rtcp(), port, clock.nanoTime());
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
    pacers.close();
    receiveLoop.close();
    rtcpTimer.shutdownNow();
    if (recordingWriter != null) {
      // After the sessions: their recordings' ends are queued, and are written first.
      recordingWriter.close();
    }
  }

  /**
   * Tells {@code observer} how late (ns) each of the pacers' ticks was served, on the pacers'
   * threads (concurrently when there are several): it must be thread-safe and return at once
   * (metrics).
   */
  public void observePacing(LongConsumer observer) {
    pacers.observeLag(observer);
  }

  /**
   * How the kernel schedules the pacer threads, as set when the engine started: a pacer's that was
   * refused real-time scheduling if any was, else the first's.
   */
  public PacerScheduling pacerScheduling() {
    return pacers.scheduling();
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

  Pacers pacers() {
    return pacers;
  }

  ReceiveLoop receiveLoop() {
    return receiveLoop;
  }

  /** The recording for a call, or null when recordings are off or the file cannot be made. */
  WavRecorder openRecorder(String callId) {
    return openRecorder(callId, org.sipline.core.spi.AudioFrames.SAMPLE_RATE);
  }

  /** As {@link #openRecorder(String)}, for a call whose audio runs at {@code rate}. */
  WavRecorder openRecorder(String callId, int rate) {
    if (recordingsDir == null) {
      return null;
    }
    try {
      return WavRecorder.create(
          recordingWriter, recordingsDir, callId, WavRecorder.MAX_DATA_BYTES, rate);
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
}
