package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineRuntime;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.backends.Backends;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CodecList;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SrtpMode;
import org.sipline.server.LineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load through the whole stack: one backend, jainsip or pjsip (found by {@link Backends}, as
 * the server finds it), and N core {@link Line}s on one shared {@link LineRuntime}, each its own
 * account registered with the harness's registrar and in a real SIP call to its callee, playing the
 * WAV through SipPlayWavFiles semantics, again each time it has been played. Each call's set-up
 * time (SipStartCall to OUTGOING_CALL_CONNECTED) is written to a file, one line per call.
 *
 * <p>With metrics on, the server's own meters ({@link LineMetrics}) are bound as {@code
 * --metrics-port} binds them: the backend reports its pacing into them, every line's statuses and
 * call records are counted, and the registry is scraped every {@value #SCRAPE_SECONDS} s, as a
 * Prometheus server scraping {@code /metrics} would have it render the exposition. Two partial
 * modes take "on" apart (issue 14's tail): "noscrape" binds and feeds the same meters but never
 * renders them; "hook" gives the backend only the meters' observer (the pacer's lateness, recorded
 * on the pacers' threads), with no line watched, no call record counted and no scrape.
 */
final class LineLoad implements Load {
  private static final Logger log = LoggerFactory.getLogger(LineLoad.class);

  /** Calls set up at once: enough to overlap round trips, few enough not to burst the peers. */
  private static final int SETUP_CONCURRENCY = 50;

  private static final long STEP_SECONDS = 30;
  private static final int LINE_THREADS = 2;

  /** Prometheus' usual scrape interval in production set-ups (its own default is 60 s). */
  static final long SCRAPE_SECONDS = 15;

  private final SipBackend backend;
  private final LineRuntime runtime;
  private final String registrar;
  private final String callee;
  private final byte[] wav;
  private final List<Line> lines = new ArrayList<>();
  private final Path setupTimes;
  private final List<Double> setupMillis = Collections.synchronizedList(new ArrayList<>());
  private final LineMetrics metrics;

  /**
   * Whether the lines report into {@link #metrics} (not in "hook" mode: the backend alone does).
   */
  private final boolean linesFed;

  private final ScheduledExecutorService scraper;
  private final AtomicLong scrapes = new AtomicLong();

  private LineLoad(
      SipBackend backend,
      LineRuntime runtime,
      String registrar,
      String callee,
      byte[] wav,
      Path setupTimes,
      LineMetrics metrics,
      boolean linesFed,
      boolean scraped) {
    this.backend = backend;
    this.metrics = metrics;
    this.linesFed = linesFed;
    if (metrics == null || !scraped) {
      this.scraper = null;
    } else {
      this.scraper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "metrics-scrape");
                t.setDaemon(true);
                return t;
              });
      // Rendering the exposition is the cost a scrape puts on the process; each one is noted on
      // stdout (load.out) with its time, so a reader sees which scrapes fell into the window.
      var unused =
          scraper.scheduleAtFixedRate(
              () -> {
                long t0 = System.nanoTime();
                int chars = metrics.scrape().length();
                System.out.printf(
                    Locale.ROOT,
                    "metrics scrape %d at %s: %d chars rendered in %.2f ms%n",
                    scrapes.incrementAndGet(),
                    Instant.now(),
                    chars,
                    (System.nanoTime() - t0) / 1e6);
              },
              SCRAPE_SECONDS,
              SCRAPE_SECONDS,
              TimeUnit.SECONDS);
    }
    this.setupTimes = setupTimes;
    this.runtime = runtime;
    this.registrar = registrar;
    this.callee = callee;
    this.wav = wav;
  }

  /**
   * @param backendName "jainsip" or "pjsip"
   * @param registrar host:port every account registers with
   * @param callee the URI every line calls
   * @param realtime the backend option media.realtime, or "default" to leave it out
   * @param sipPort the backend's SIP port (0: any), which a flood is aimed at
   * @param setupTimes where each call's set-up time goes (milliseconds, one line per call)
   * @param metricsMode "off", or how the server's meters are bound and fed: "on", "noscrape" or
   *     "hook" (see the class comment)
   * @param codec the calls' only codec (the backend's codec list option), or null for the backend's
   *     default list
   * @param srtp "off" or "require": the backend's SRTP mode
   */
  static LineLoad start(
      String backendName,
      String registrar,
      String callee,
      byte[] wav,
      String realtime,
      int sipPort,
      Path setupTimes,
      String metricsMode,
      String codec,
      String srtp) {
    // No refresh REGISTER during a run: the registrar grants what is asked.
    Map<String, String> options = new HashMap<>(Map.of("register.expires", "3600"));
    if (!realtime.equals("default")) {
      // jainsip's option; the harness refuses --realtime with pjsip.
      options.put("media.realtime", realtime);
    }
    if (codec != null) {
      options.put(CodecList.OPTION, codec);
    }
    LineMetrics meters = metricsMode.equals("off") ? null : LineMetrics.create();
    BackendConfig.Builder config =
        BackendConfig.loopback().sipPort(sipPort).options(options).srtp(SrtpMode.parse(srtp));
    if (meters != null) {
      config.observer(meters.backendObserver());
    }
    SipBackend backend = Backends.load().select(backendName).create(config.build());
    return new LineLoad(
        backend,
        LineRuntime.create(LINE_THREADS),
        registrar,
        callee,
        wav,
        setupTimes,
        meters,
        metricsMode.equals("on") || metricsMode.equals("noscrape"),
        metricsMode.equals("on"));
  }

  @Override
  public int connect(int calls) throws InterruptedException, ExecutionException, TimeoutException {
    Semaphore inFlight = new Semaphore(SETUP_CONCURRENCY);
    List<CompletableFuture<Line>> setups = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      inFlight.acquire();
      Line line =
          Line.open(
              backend,
              !linesFed
                  ? LineConfig.defaults()
                  : LineConfig.builder().callRecords(metrics.callRecords()).build(),
              runtime);
      lines.add(line);
      if (linesFed) {
        metrics.add("load-" + i, line);
      }
      String account = String.format("load%05d@%s", i, registrar);
      setups.add(connect(line, account).whenComplete((l, e) -> inFlight.release()));
    }
    int connected = 0;
    for (CompletableFuture<Line> f : setups) {
      f.get(STEP_SECONDS * 4, TimeUnit.SECONDS);
      connected++;
    }
    StringBuilder sb = new StringBuilder();
    synchronized (setupMillis) {
      for (double ms : setupMillis) {
        sb.append(String.format(Locale.ROOT, "%.3f%n", ms));
      }
    }
    try {
      Files.writeString(setupTimes, sb);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + setupTimes, e);
    }
    return connected;
  }

  /** REGISTER, SipStartSession, SipStartCall; completes when the call is connected. */
  private CompletableFuture<Line> connect(Line line, String account) {
    CompletableFuture<Line> connected = new CompletableFuture<>();
    // Set on the thread that starts the call, read on the one that reports it connected.
    AtomicLong callStarted = new AtomicLong();
    AutoCloseable watch =
        line.watch(
            s -> {
              if (s.type() == StatusType.OUTGOING_CALL_CONNECTED) {
                long started = callStarted.get();
                if (started != 0) {
                  setupMillis.add((System.nanoTime() - started) / 1e6);
                }
                connected.complete(line);
              } else if (s.type() == StatusType.OUTGOING_CALL_FAILED) {
                connected.completeExceptionally(
                    new IllegalStateException(
                        account + ": call to " + callee + " failed: " + s.description()));
              }
            });
    // Its outcome goes into connected, which the caller waits for.
    var unused =
        line.registerAccount(account, "", "", "")
            .thenCompose(s -> expect(s, StatusType.REGISTERED, account))
            .thenCompose(s -> line.startSession(account, 0))
            .thenCompose(s -> expect(s, StatusType.SESSION_STARTED, account))
            .thenCompose(
                s -> {
                  callStarted.set(System.nanoTime());
                  return line.startCall(callee, Map.of());
                })
            .thenCompose(s -> expect(s, StatusType.OUTGOING_CALL_INITIATED, account))
            .whenComplete(
                (s, e) -> {
                  if (e != null) {
                    connected.completeExceptionally(e);
                  }
                });
    return connected
        .orTimeout(STEP_SECONDS, TimeUnit.SECONDS)
        .whenComplete(
            (l, e) -> {
              try {
                watch.close();
              } catch (Exception closing) {
                log.warn("Closing the status watch of {} failed", account, closing);
              }
            });
  }

  private static CompletableFuture<LineStatus> expect(
      LineStatus s, StatusType want, String account) {
    return s.type() == want
        ? CompletableFuture.completedFuture(s)
        : CompletableFuture.failedFuture(
            new IllegalStateException(
                account + ": want " + want + ", got " + s.type() + " (" + s.description() + ")"));
  }

  @Override
  public void play() {
    for (Line line : lines) {
      playAgainAndAgain(line);
    }
  }

  /** SipPlayWavFiles, and again each time it reports the file played, until the call ends. */
  private void playAgainAndAgain(Line line) {
    // A failed playback (the call ended) ends the loop for that line, as intended.
    var unused =
        line.playWavFiles(List.of(wav))
            .whenComplete(
                (s, e) -> {
                  if (e == null && s.type() == StatusType.MICROPHONE_WAV_FILES_PLAYED) {
                    playAgainAndAgain(line);
                  }
                });
  }

  @Override
  public void close() {
    for (Line line : lines) {
      // Closing the lines right after ends whatever the hard hangup did not.
      var unused = line.endCall(true);
    }
    for (Line line : lines) {
      line.close();
    }
    runtime.close();
    backend.close();
    if (scraper != null) {
      scraper.shutdownNow();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
