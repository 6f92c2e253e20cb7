package org.sipline.server;

import io.grpc.Status;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipline.core.Line;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.media.StreamCounters;
import org.sipline.core.records.CallRecordSink;
import org.sipline.core.spi.BackendObserver;
import org.sipline.core.spi.ReceptionReport;
import org.sipline.core.spi.RtpStatistics;

/**
 * sipline's Prometheus metrics (SPEC §8), made with Micrometer. What the lines do is read from
 * their status streams ({@link Line#watch}), so core needs no metrics library: lines by state,
 * active calls, calls started / answered / failed by direction and SIP code, call duration,
 * registrations and their failures by SIP code; the RTP series from each call's record ({@link
 * #callRecords}). gRPC requests are measured by {@link GrpcMetrics}, refused tokens by {@link
 * #authRefused}. JVM and process metrics come from Micrometer's binders.
 *
 * <p>Labels are bounded: a direction, a three-digit SIP code (or {@code none}), a status type, a
 * gRPC method or code. Never a Call-ID, an account or a phone number.
 */
final class SiplineMetrics implements AutoCloseable {
  /** "INVITE bob@example.org: 486 Busy Here", "REGISTER sip:a@b: 403 Forbidden". */
  private static final Pattern SIP_CODE = Pattern.compile(": ([1-6]\\d\\d) ");

  private static final Duration[] CALL_BUCKETS = {
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(30),
    Duration.ofHours(1)
  };

  /** SIP methods a stranger's request is counted under; anything else is "other". */
  private static final Set<String> SIP_METHODS =
      Set.of(
          "INVITE",
          "ACK",
          "BYE",
          "CANCEL",
          "OPTIONS",
          "REGISTER",
          "REFER",
          "NOTIFY",
          "SUBSCRIBE",
          "INFO",
          "MESSAGE",
          "UPDATE",
          "PRACK",
          "PUBLISH");

  private static final Duration[] PACER_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(20),
    Duration.ofMillis(50),
    Duration.ofMillis(100)
  };

  /** Jitter buckets: from well below a G.711 packet's 20 ms to far above any jitter buffer. */
  private static final Duration[] JITTER_BUCKETS = millis(1, 2, 5, 10, 20, 30, 50, 100, 200);

  /** Round-trip buckets: loopback, a LAN, a continent, a satellite. */
  private static final Duration[] ROUND_TRIP_BUCKETS =
      millis(1, 5, 10, 25, 50, 100, 150, 300, 500, 1000);

  /**
   * Ticks' lateness waiting to be recorded: at most 4 pacers × 1000 ticks a second, so about 2 s of
   * them, against a drain every {@value #PACER_DRAIN_MILLIS} ms.
   */
  private static final int PACER_QUEUE = 8192;

  private static final long PACER_DRAIN_MILLIS = 100;

  final PrometheusMeterRegistry registry;
  private final Timer pacerLateness;
  private final PacerLatenessQueue pacerQueue = new PacerLatenessQueue(PACER_QUEUE);
  private final ScheduledExecutorService pacerDrain;
  private final List<AutoCloseable> watches = new ArrayList<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<Line, Instant> connectedAt = new ConcurrentHashMap<>();
  private final Map<Line, Boolean> inCall = new ConcurrentHashMap<>();
  private final Map<Line, AutoCloseable> lineWatches = new ConcurrentHashMap<>();
  private final Set<Line> removedLines = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();
  private final Counter rtpSent;
  private final Counter rtpReceived;
  private final Counter rtpLostReceived;
  private final Counter rtpLostSent;
  private final Timer jitterReceived;
  private final Timer jitterSent;
  private final Timer roundTrip;

  SiplineMetrics() {
    this(Clock.SYSTEM);
  }

  /**
   * @param clock Micrometer's clock for the meters (tests move it to reach a time window's end)
   */
  SiplineMetrics(Clock clock) {
    registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    // Two of Micrometer's names break Prometheus' conventions (promtool says so): a gauge ending in
    // _count, and CPU time in nanoseconds. Renamed, and CPU time re-made in seconds below.
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time the sipline process has used")
          .register(registry);
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    pacerLateness =
        Timer.builder("sipline.pacer.lateness")
            .description(
                "How late the RTP pacer served each 20 ms tick after its deadline (jainsip)")
            .serviceLevelObjectives(PACER_BUCKETS)
            .register(registry);
    FunctionCounter.builder("sipline.pacer.lateness.unrecorded", pacerQueue, q -> q.dropped())
        .description(
            "Pacer ticks left out of sipline_pacer_lateness_seconds because its recording fell"
                + " behind (jainsip)")
        .register(registry);
    pacerDrain =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sipline-metrics-pacer");
              t.setDaemon(true);
              return t;
            });
    var unused =
        pacerDrain.scheduleWithFixedDelay(
            this::drainPacer, PACER_DRAIN_MILLIS, PACER_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    rtpSent =
        Counter.builder("sipline.rtp.packets.sent")
            .description("RTP packets sent, counted when each call ends")
            .register(registry);
    rtpReceived =
        Counter.builder("sipline.rtp.packets.received")
            .description("RTP packets received, counted when each call ends")
            .register(registry);
    rtpLostReceived = lost("received");
    rtpLostSent = lost("sent");
    jitterReceived = jitter("received");
    jitterSent = jitter("sent");
    roundTrip =
        Timer.builder("sipline.rtp.round.trip")
            .description("Each call's latest RTCP round-trip time (calls where one was measured)")
            .serviceLevelObjectives(ROUND_TRIP_BUCKETS)
            .register(registry);
  }

  private Counter lost(String stream) {
    return Counter.builder("sipline.rtp.packets.lost")
        .description(
            "RTP packets lost, counted when each call ends: of the stream we received"
                + " (stream=received, as we measured it) or sent (as the far end reported it)")
        .tag("stream", stream)
        .register(registry);
  }

  private Timer jitter(String stream) {
    return Timer.builder("sipline.rtp.jitter")
        .description(
            "Each call's interarrival jitter (RFC 3550) at its end: of the stream we received"
                + " (stream=received, as we measured it) or sent (as the far end reported it)")
        .tag("stream", stream)
        .serviceLevelObjectives(JITTER_BUCKETS)
        .register(registry);
  }

  private static Duration[] millis(int... values) {
    Duration[] d = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = Duration.ofMillis(values[i]);
    }
    return d;
  }

  private static void recordMillis(Timer timer, double millis) {
    timer.record(Math.round(millis * 1_000_000), TimeUnit.NANOSECONDS);
  }

  /**
   * The RTP series from each call's final figures, as its call record has them (per call, never
   * labelled by it): packets sent, received and lost, and the jitter and round-trip distributions.
   * Called on the line's actor: a few counter and histogram updates, nothing looked up.
   */
  CallRecordSink callRecords() {
    return record -> {
      RtpStatistics rtp = record.rtp();
      rtpSent.increment((double) rtp.packetsSent());
      rtpReceived.increment((double) rtp.packetsReceived());
      ReceptionReport in = rtp.inbound();
      if (in.reported()) {
        rtpLostReceived.increment((double) Math.max(0, in.cumulativeLost()));
        recordMillis(jitterReceived, in.jitterMillis());
      }
      ReceptionReport out = rtp.outbound();
      if (out.reported()) {
        rtpLostSent.increment((double) Math.max(0, out.cumulativeLost()));
        recordMillis(jitterSent, out.jitterMillis());
      }
      if (rtp.hasRoundTrip()) {
        recordMillis(roundTrip, rtp.roundTripMillis());
      }
    };
  }

  /**
   * What the backend reports into these metrics: the pacer's lateness and refused strangers by
   * method and code. The lateness is only queued on the pacer's thread ({@link PacerLatenessQueue}:
   * no lock, no allocation); it reaches the timer on the drain's thread, within {@value
   * #PACER_DRAIN_MILLIS} ms or at the next scrape, whichever comes first.
   */
  BackendObserver backendObserver() {
    return new BackendObserver() {
      @Override
      public void paced(long lagNanos) {
        pacerQueue.offer(lagNanos);
      }

      @Override
      public void strangerRefused(String method, int statusCode) {
        Counter.builder("sipline.sip.strangers.refused")
            .description(
                "SIP requests refused statelessly because they came from no source of ours")
            .tag("method", SIP_METHODS.contains(method) ? method : "other")
            .tag("sip_code", statusCode >= 100 && statusCode <= 699 ? "" + statusCode : "other")
            .register(registry)
            .increment();
      }
    };
  }

  /**
   * Watches the served lines from now on: those served now and those CreateLine adds later. A line
   * DeleteLine removes leaves {@code sipline_lines} at once; its call, if it still has one, is
   * counted to its end (the hang-up's status), then the line is forgotten.
   */
  void watch(ServedLines lines) {
    for (StatusType type : StatusType.values()) {
      Gauge.builder(
              "sipline.lines",
              lines,
              ls -> ls.all().stream().filter(l -> l.status().type() == type).count())
          .description("Lines by the type of their latest status")
          // Micrometer holds a gauge's object weakly; the server holds the lines anyway.
          .strongReference(true)
          .tag("state", type.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Gauge.builder("sipline.active.calls", inCall, m -> m.values().stream().filter(b -> b).count())
        .description("Calls being set up or connected, over all lines")
        .register(registry);
    // Subscribed before the lines are listed, so a line added meanwhile is not missed; one listed
    // and also reported added is watched once.
    watches.add(lines.onAdded((name, line) -> watchLine(line)));
    watches.add(lines.onRemoved((name, line) -> removed(line)));
    for (Line line : lines.all()) {
      watchLine(line);
    }
  }

  private void watchLine(Line line) {
    lineWatches.computeIfAbsent(
        line,
        l -> {
          inCall.putIfAbsent(l, false);
          return l.watch(status -> observe(l, status));
        });
  }

  /** A line no longer served: forgotten now, or once its call has ended. */
  private void removed(Line line) {
    removedLines.add(line);
    forgetIfIdle(line);
  }

  /**
   * Forgets a removed line without a call. Both the removal and the line's own call-ending status
   * call this after writing what the other reads, so one of them forgets it.
   */
  private void forgetIfIdle(Line line) {
    if (!removedLines.contains(line) || Boolean.TRUE.equals(inCall.get(line))) {
      return;
    }
    AutoCloseable w = lineWatches.remove(line);
    inCall.remove(line);
    connectedAt.remove(line);
    removedLines.remove(line);
    if (w != null) {
      try {
        w.close();
      } catch (Exception e) {
        // Unhooking a listener cannot fail in a way anyone could act on.
      }
    }
  }

  /**
   * Live-media streams: {@code sipline_media_streams{kind}} open now, {@code
   * sipline_media_streams_ended_total{kind}}, and the caller-audio frames dropped because their
   * client read too slowly, {@code sipline_media_frames_dropped_total{kind}}.
   */
  MediaStreamObserver mediaStreams() {
    return new MediaStreamObserver() {
      @Override
      public void opened(String kind) {
        openStreams(kind).incrementAndGet();
      }

      @Override
      public void ended(String kind, StreamCounters counters) {
        openStreams(kind).decrementAndGet();
        String k = kind.toLowerCase(Locale.ROOT);
        Counter.builder("sipline.media.streams.ended")
            .description("Live-media streams that ended")
            .tag("kind", k)
            .register(registry)
            .increment();
        Counter dropped =
            Counter.builder("sipline.media.frames.dropped")
                .description("Caller-audio frames dropped because the stream's client was slow")
                .tag("kind", k)
                .register(registry);
        if (counters != null) {
          dropped.increment((double) counters.framesDropped());
        }
      }
    };
  }

  private AtomicInteger openStreams(String kind) {
    return streams.computeIfAbsent(
        kind.toLowerCase(Locale.ROOT),
        k -> {
          AtomicInteger n = new AtomicInteger();
          Gauge.builder("sipline.media.streams", n, AtomicInteger::get)
              .description("Live-media streams (Converse, Listen) open now")
              .tag("kind", k)
              .strongReference(true)
              .register(registry);
          return n;
        });
  }

  /** A token refused by {@link BearerTokenInterceptor}. */
  void authRefused(Status.Code code) {
    Counter.builder("sipline.grpc.auth.refused")
        .description("gRPC calls refused for their bearer token")
        .tag("code", code.name())
        .register(registry)
        .increment();
  }

  /** Records the queued ticks' lateness into the timer; never on a pacer's thread. */
  private void drainPacer() {
    pacerQueue.drain(lag -> pacerLateness.record(lag, TimeUnit.NANOSECONDS));
  }

  /** The exposition in Prometheus' text format, with every tick reported so far. */
  String scrape() {
    drainPacer();
    return registry.scrape();
  }

  private void observe(Line line, LineStatus s) {
    switch (s.type()) {
      case OUTGOING_CALL_INITIATED, INCOMING_CALL_INITIATED -> {
        inCall.put(line, true);
        count("sipline.calls.started", "Calls started: INVITEs sent or received", s, null);
      }
      case OUTGOING_CALL_CONNECTED, INCOMING_CALL_CONNECTED -> {
        connectedAt.put(line, s.timestamp());
        count("sipline.calls.answered", "Calls that connected", s, null);
      }
      case OUTGOING_CALL_FAILED, INCOMING_CALL_FAILED -> {
        inCall.put(line, false);
        connectedAt.remove(line);
        count("sipline.calls.failed", "Calls that never connected, by SIP code", s, sipCode(s));
      }
      case OUTGOING_CALL_FINISHED, INCOMING_CALL_FINISHED -> {
        inCall.put(line, false);
        Instant start = connectedAt.remove(line);
        if (start != null) {
          Timer.builder("sipline.call.duration")
              .description("How long connected calls lasted, answer to end")
              .tag("direction", direction(s.type()))
              .serviceLevelObjectives(CALL_BUCKETS)
              .register(registry)
              .record(Duration.between(start, s.timestamp()));
        }
        count("sipline.calls.finished", "Connected calls that ended", s, null);
      }
      case REGISTERED ->
          Counter.builder("sipline.registrations")
              .description("REGISTERs answered 2xx (first and refreshes the line recorded)")
              .register(registry)
              .increment();
      case SESSION_REGISTRATION_FAILED ->
          Counter.builder("sipline.registration.failures")
              .description("Failed REGISTERs, by SIP code (none: no answer or not sent)")
              .tag("sip_code", sipCode(s))
              .register(registry)
              .increment();
      default -> {
        // Other statuses change no metric.
      }
    }
    forgetIfIdle(line);
  }

  private void count(String name, String description, LineStatus s, String sipCode) {
    Counter.Builder b =
        Counter.builder(name).description(description).tag("direction", direction(s.type()));
    if (sipCode != null) {
      b.tag("sip_code", sipCode);
    }
    b.register(registry).increment();
  }

  private static String direction(StatusType t) {
    return t.name().startsWith("INCOMING") ? "incoming" : "outgoing";
  }

  /** The SIP response code a failure status names, or "none" (timeout, not sent, cancelled). */
  static String sipCode(LineStatus s) {
    Matcher m = SIP_CODE.matcher(s.description());
    return m.find() ? m.group(1) : "none";
  }

  @Override
  public void close() {
    pacerDrain.shutdownNow();
    List<AutoCloseable> all = new ArrayList<>(watches);
    all.addAll(lineWatches.values());
    lineWatches.clear();
    for (AutoCloseable w : all) {
      try {
        w.close();
      } catch (Exception e) {
        // Stopping a watch cannot fail in a way worth reporting at shutdown.
      }
    }
    gc.close();
    registry.close();
  }
}
