package org.sipline.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineRuntime;
import org.sipline.core.StatusType;
import org.sipline.core.Switchboard;
import org.sipline.core.backends.Backends;
import org.sipline.core.backends.NoBackendException;
import org.sipline.core.records.CallRecordSink;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendObserver;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sipline: configuration → backend → lines (one by default) → gRPC ({@code
 * ondewo.sip.Sip}, {@code sipline.media.v1.LineMedia}, health, reflection). It owns all four and
 * releases them in {@link #stop()}: the call is hung up and the accounts un-registered first,
 * within {@link ServerConfig#hangupTimeout()}, then gRPC and the backend are closed.
 */
public final class SiplineServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SiplineServer.class);

  /** Field tags and lengths around the WAV bytes of one request: room for thousands of files. */
  static final int REQUEST_FRAMING_BYTES = 64 * 1024;

  /** Clients may ping this often; more often is answered with GOAWAY (too_many_pings). */
  private static final Duration PERMIT_KEEPALIVE = Duration.ofSeconds(10);

  /** The server pings an idle connection this often to find dead peers (and NATs forgetting). */
  private static final Duration KEEPALIVE = Duration.ofMinutes(1);

  private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);

  /** How long in-flight rpcs may finish once the line is down. */
  private static final Duration GRPC_DRAIN = Duration.ofMillis(500);

  private final ServerConfig config;
  private final Switchboard backend;
  private final LineManager manager;
  private final LinesService linesService;
  private final LineRuntime runtime;
  private final ServedLines lines;
  private final LineHealth health;
  private final BulkCallExecutor bulk;
  private final LineMediaService media;
  private final CallRecordKeeper records;
  private final Server grpc;
  private final GrpcEventLoops loops;
  private final SiplineMetrics metrics;
  private final MetricsEndpoint metricsEndpoint;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private SiplineServer(
      ServerConfig config,
      Switchboard backend,
      LineManager manager,
      LinesService linesService,
      LineRuntime runtime,
      ServedLines lines,
      LineHealth health,
      BulkCallExecutor bulk,
      LineMediaService media,
      CallRecordKeeper records,
      Server grpc,
      GrpcEventLoops loops,
      SiplineMetrics metrics,
      MetricsEndpoint metricsEndpoint) {
    this.records = records;
    this.config = config;
    this.backend = backend;
    this.manager = manager;
    this.linesService = linesService;
    this.runtime = runtime;
    this.lines = lines;
    this.health = health;
    this.bulk = bulk;
    this.media = media;
    this.grpc = grpc;
    this.loops = loops;
    this.metrics = metrics;
    this.metricsEndpoint = metricsEndpoint;
  }

  /**
   * Starts with the configured backend (or the best available one).
   *
   * @throws InvalidConfigException when a value turns out unusable: unknown or unavailable backend,
   *     backend options it refuses, unreadable TLS material or token file, gRPC address in use
   * @throws IOException when gRPC cannot listen for another reason
   */
  public static SiplineServer start(ServerConfig config) throws IOException {
    SipBackendProvider provider;
    try {
      provider = Backends.load().select(config.backend());
    } catch (NoBackendException e) {
      throw new InvalidConfigException("--backend", e.getMessage());
    }
    // Made before the backend, which reports its pacing and refused strangers into it.
    SiplineMetrics metrics = config.metricsPort() == null ? null : new SiplineMetrics();
    SipBackend backend;
    try {
      backend =
          Backends.start(
              provider,
              backendConfig(config).toBuilder()
                  .observer(metrics == null ? BackendObserver.NONE : metrics.backendObserver())
                  .build());
    } catch (IllegalArgumentException e) {
      closeQuietly(metrics);
      // Everything else in BackendConfig was checked by ServerConfig; the options were not:
      // core held them to the backend's declared list, and the backend to its own rules.
      if (config.backendOptions().isEmpty()) {
        throw e;
      }
      throw new InvalidConfigException(
          "--backend-option", provider.name() + " refused: " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(metrics);
      throw e;
    }
    return start(config, backend, metrics);
  }

  /**
   * Starts over a backend the caller built (embedding, tests); the server owns it from now on and
   * closes it in {@link #stop()}, or at once if the start fails.
   */
  public static SiplineServer start(ServerConfig config, SipBackend sipBackend) throws IOException {
    return start(config, sipBackend, config.metricsPort() == null ? null : new SiplineMetrics());
  }

  /** As {@link #start(ServerConfig, SipBackend)}, with the metrics (or null) it reports into. */
  private static SiplineServer start(
      ServerConfig config, SipBackend sipBackend, SiplineMetrics metrics) throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(sipBackend, "backend");
    // Every line goes through the switchboard: shared accounts, the choice of a free line for an
    // INVITE, OPTIONS and draining are decided there, once, for every backend.
    Switchboard backend = Switchboard.over(sipBackend, config.registerRate());
    LineRuntime runtime = null;
    List<Line> opened = new ArrayList<>();
    LineHealth health = null;
    BulkCallExecutor bulk = null;
    LineMediaService media = null;
    LinesService linesService = null;
    CallRecordKeeper records = null;
    MetricsEndpoint metricsEndpoint = null;
    GrpcEventLoops loops = null;
    try {
      records = openCallRecords(config);
      if (metrics != null) {
        records.alsoTo(metrics.callRecords());
      }
      runtime = LineRuntime.create(runtimeThreads(config.lines().size()));
      Map<String, Line> byName = new LinkedHashMap<>();
      for (int i = 0; i < config.lines().size(); i++) {
        LineSpec spec = config.lines().get(i);
        Line line = Line.open(backend, lineConfig(config, spec.name(), i == 0, records), runtime);
        opened.add(line);
        byName.put(spec.name(), line);
      }
      ServedLines lines = new ServedLines(byName);
      HealthStatusManager healthManager = new HealthStatusManager();
      health = new LineHealth(healthManager, lines.defaultLine());
      LineHealth healthRef = health;
      LineManager manager =
          new LineManager(config, backend, runtime, lines, records, healthRef::close);
      if (metrics != null) {
        metrics.watch(lines);
      }
      BearerTokenInterceptor auth = tokenCheck(config, metrics);
      bulk = new BulkCallExecutor(auth == null ? headers -> false : auth::wouldBlock);
      media =
          new LineMediaService(
              () -> LineRouting.current().media(),
              metrics == null ? MediaStreamObserver.NONE : metrics.mediaStreams());
      linesService = new LinesService(manager, config.drainTimeout());
      NettyLeakDetection.offUnlessAsked();
      loops = GrpcEventLoops.create();
      Server grpc =
          grpcServer(
              config,
              loops,
              lines,
              healthManager,
              bulk,
              media,
              linesService,
              records,
              auth,
              metrics);
      try {
        grpc.start();
      } catch (IOException e) {
        // Netty's epoll transport reports a taken port as its own exception type, so the
        // message is what tells a bind failure from other I/O trouble.
        if (e instanceof BindException
            || String.valueOf(e.getMessage()).startsWith("Failed to bind")) {
          throw bindFailure(config, e);
        }
        throw e;
      }
      if (metrics != null) {
        metricsEndpoint =
            new MetricsEndpoint(config.metricsAddress(), config.metricsPort(), metrics);
      }
      SiplineServer server =
          new SiplineServer(
              config,
              backend,
              manager,
              linesService,
              runtime,
              lines,
              health,
              bulk,
              media,
              records,
              grpc,
              loops,
              metrics,
              metricsEndpoint);
      log.info(
          "sipline {} serving ondewo.sip on {}:{} ({}, {}, reflection {}), backend {}",
          Version.get(),
          config.grpcAddress(),
          mainPort(grpc, config),
          config.tls() ? (config.tlsClientCa() != null ? "mutual TLS" : "TLS") : "plaintext",
          tokenMode(config),
          config.reflection() ? "on" : "off",
          backend.name());
      if (lines.size() > 1 || config.linePortBase() > 0) {
        log.info(
            "{} line(s), default '{}'{}",
            lines.size(),
            config.defaultLine().name(),
            config.linePortBase() > 0
                ? ", line ports "
                    + config.linePortBase()
                    + "-"
                    + (config.linePortBase() + lines.size() - 1)
                : "");
      }
      server.startBootAccounts();
      return server;
    } catch (IOException | RuntimeException e) {
      closeQuietly(loops);
      closeQuietly(linesService);
      closeQuietly(metricsEndpoint);
      closeQuietly(metrics);
      closeQuietly(media);
      closeQuietly(bulk);
      closeQuietly(health);
      opened.forEach(SiplineServer::closeQuietly);
      closeQuietly(runtime);
      closeQuietly(records);
      backend.close();
      throw e;
    }
  }

  /** One actor thread per line up to the cores (at least two when there are several lines). */
  private static int runtimeThreads(int lineCount) {
    return Math.min(lineCount, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  /** Which of the ports could not be bound: a line's own, or the main one. */
  private static InvalidConfigException bindFailure(ServerConfig config, IOException e) {
    String message = String.valueOf(e.getMessage()) + " " + rootMessage(e);
    int base = config.linePortBase();
    if (base > 0) {
      for (int i = 0; i < config.lines().size(); i++) {
        if (message.contains(":" + (base + i) + " ") || message.endsWith(":" + (base + i))) {
          return new InvalidConfigException(
              "--line-ports",
              config.grpcAddress()
                  + ":"
                  + (base + i)
                  + " of line '"
                  + config.lines().get(i).name()
                  + "' cannot be bound ("
                  + rootMessage(e)
                  + ")");
        }
      }
    }
    return new InvalidConfigException(
        "--grpc-port",
        config.grpcAddress()
            + ":"
            + config.grpcPort()
            + " cannot be bound ("
            + rootMessage(e)
            + ")"
            + (base > 0 ? " (or one of --line-ports from " + base + ")" : ""));
  }

  /**
   * Registers each boot account and starts its session, as SipRegisterAccount and SipStartSession
   * would; the outcome is in the line's history (and the log), the start does not wait for it.
   */
  private void startBootAccounts() {
    for (int i = 0; i < config.lines().size(); i++) {
      LineSpec spec = config.lines().get(i);
      LineAccount a = spec.account();
      if (a == null) {
        continue;
      }
      Line line = lines.byIndex(i);
      var unused =
          line.registerAccount(a.account(), a.password(), a.authUsername(), a.outboundProxy())
              .thenCompose(
                  registered ->
                      registered.type() == StatusType.REGISTERED
                          ? line.startSession(a.account(), a.autoAnswerSeconds())
                          : CompletableFuture.completedFuture(registered))
              .whenComplete(
                  (status, failure) -> {
                    if (failure != null) {
                      log.warn(
                          "Line '{}': boot account {} failed: {}",
                          spec.name(),
                          a.account(),
                          rootMessage(failure));
                    } else {
                      log.info(
                          "Line '{}': boot account {}: {} {}",
                          spec.name(),
                          a.account(),
                          status.type(),
                          status.description());
                    }
                  });
    }
  }

  /** The lines served (tests). */
  ServedLines lines() {
    return lines;
  }

  /** What an OPTIONS to the process's SIP address is answered now. */
  org.sipline.core.spi.Capacity capacity() {
    return backend.capacity();
  }

  /** The port gRPC listens on (the chosen one when configured as 0). */
  public int grpcPort() {
    return mainPort(grpc, config);
  }

  /**
   * The main port, not a line's own: with several listen addresses {@link Server#getPort()} may
   * answer any of them.
   */
  private static int mainPort(Server grpc, ServerConfig config) {
    int base = config.linePortBase();
    if (base == 0) {
      return grpc.getPort();
    }
    for (SocketAddress a : grpc.getListenSockets()) {
      if (a instanceof InetSocketAddress inet
          && (inet.getPort() < base || inet.getPort() >= base + config.lines().size())) {
        return inet.getPort();
      }
    }
    return grpc.getPort();
  }

  /** The Netty event loops gRPC serves on (tests). */
  GrpcEventLoops grpcLoops() {
    return loops;
  }

  /** The gRPC services as bound (tests: which marshaller a method writes with). */
  List<io.grpc.ServerServiceDefinition> services() {
    return grpc.getServices();
  }

  /** The port of the Prometheus metrics endpoint, or -1 when it is off. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /** Blocks until {@link #stop()} has finished. */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /**
   * Drains as the Drain rpc does (health NOT_SERVING, new INVITEs and OPTIONS 503, calls may go on
   * up to {@code timeout}, then BYE and un-REGISTER); completes when done.
   */
  CompletableFuture<LineManager.DrainOutcome> drain(Duration timeout) {
    return manager.drain(timeout);
  }

  /**
   * What SIGTERM does: drains with {@link ServerConfig#drainTimeout()}, then {@link #stop()}s.
   * Ongoing calls finish normally if they end within the drain timeout.
   */
  public void drainAndStop() {
    try {
      drain(config.drainTimeout())
          .get(
              config.drainTimeout().plus(config.hangupTimeout()).toMillis() + 1000,
              TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      log.warn("Draining did not finish cleanly ({}); stopping anyway", rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop();
  }

  /**
   * Hangs up any call (BYE) and un-registers (REGISTER Expires: 0), waiting at most {@link
   * ServerConfig#hangupTimeout()} for the network; then stops gRPC and closes line and backend.
   * Idempotent.
   */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    log.info(
        "Stopping: hanging up and un-registering {} line(s) (at most {})",
        lines.size(),
        config.hangupTimeout());
    health.close();
    // All lines at once: the bound is for the whole server, not per line.
    List<CompletableFuture<Void>> shutdowns = new ArrayList<>();
    for (Line line : lines.all()) {
      shutdowns.add(line.shutdown());
    }
    try {
      CompletableFuture.allOf(shutdowns.toArray(CompletableFuture[]::new))
          .get(config.hangupTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "Hangup/un-REGISTER not confirmed on {} line(s) within {}; closing anyway",
          shutdowns.stream().filter(f -> !f.isDone()).count(),
          config.hangupTimeout());
    } catch (ExecutionException e) {
      log.warn("Hangup/un-REGISTER failed: {}; closing anyway", rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(GRPC_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    // After gRPC: its transports are closed on these loops.
    loops.close();
    closeQuietly(metricsEndpoint);
    closeQuietly(metrics);
    bulk.close();
    media.close();
    linesService.close();
    lines.all().forEach(Line::close);
    runtime.close(Duration.ofSeconds(1));
    backend.close();
    // Last: the lines' shutdown and close wrote the records of the calls they ended.
    records.close();
    log.info("Stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private static Server grpcServer(
      ServerConfig config,
      GrpcEventLoops loops,
      ServedLines lines,
      HealthStatusManager health,
      BulkCallExecutor bulk,
      LineMediaService media,
      LinesService linesService,
      CallRecordKeeper records,
      BearerTokenInterceptor auth,
      SiplineMetrics metrics) {
    NettyServerBuilder builder =
        loops
            .applyTo(nettyBuilder(config))
            // The service never blocks (it answers from the line's futures), so rpcs run on the
            // event
            // loop that read them; only the bulk ones are handed to a pool (BulkCallExecutor).
            .directExecutor()
            .callExecutor(bulk)
            .maxInboundMessageSize((int) (config.maxWavBytes() + REQUEST_FRAMING_BYTES))
            .permitKeepAliveTime(PERMIT_KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true)
            .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .addService(new SipService(LineRouting::current, config.maxWavBytes()))
            .addService(media)
            .addService(linesService.definition())
            .addService(new CallRecordsService(records))
            .addService(health.getHealthService());
    if (config.reflection()) {
      builder.addService(ProtoReflectionServiceV1.newInstance());
      builder.addService(legacyReflection());
    }
    for (int i = 0; config.linePortBase() > 0 && i < config.lines().size(); i++) {
      builder.addListenAddress(
          new InetSocketAddress(config.grpcAddress(), config.linePortBase() + i));
    }
    // The last interceptor added runs first: the token check, then the early response headers
    // that make the rpc run once whatever retry policy the client has (HeadersFirst), then routing.
    // A caller without a token learns nothing about the lines.
    builder.intercept(new LineRouting(lines, config.linePortBase()));
    builder.intercept(new HeadersFirst());
    if (auth != null) {
      builder.intercept(auth);
    }
    if (metrics != null) {
      // Outermost: refused calls are counted too.
      builder.intercept(new GrpcMetrics(metrics.registry));
    }
    return builder.build();
  }

  /** The bearer token check the configuration asks for, or null for none. */
  private static BearerTokenInterceptor tokenCheck(ServerConfig config, SiplineMetrics metrics) {
    if (!config.tokensRequired()) {
      return null;
    }
    BearerTokens tokens = config.tokenFile() == null ? null : BearerTokens.load(config.tokenFile());
    JwtVerifier jwt = config.jwt() == null ? null : JwtVerifier.create(config.jwt());
    if (jwt != null) {
      log.info("Accepting {}", jwt.describe());
    }
    return new BearerTokenInterceptor(
        tokens, jwt, metrics == null ? code -> {} : metrics::authRefused);
  }

  private static String tokenMode(ServerConfig config) {
    if (config.tokenFile() != null && config.jwt() != null) {
      return "bearer tokens or JWTs required";
    }
    if (config.jwt() != null) {
      return "JWTs required";
    }
    return config.tokenFile() != null ? "bearer tokens required" : "no token check";
  }

  /** v1alpha reflection, which many tools (grpcurl, Postman, Evans) still ask for first. */
  @SuppressWarnings("deprecation")
  private static io.grpc.BindableService legacyReflection() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  /** Netty reads the TLS files here, so this is where unusable ones are found. */
  private static NettyServerBuilder nettyBuilder(ServerConfig config) {
    InetSocketAddress address = new InetSocketAddress(config.grpcAddress(), config.grpcPort());
    if (!config.tls()) {
      return NettyServerBuilder.forAddress(address, InsecureServerCredentials.create());
    }
    ServerCredentials credentials = credentials(config);
    try {
      return NettyServerBuilder.forAddress(address, credentials);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(
          "--tls-key",
          "certificate "
              + config.tlsCert()
              + " with key "
              + config.tlsKey()
              + " cannot be used (PEM chain and PKCS#8 key expected): "
              + rootMessage(e));
    }
  }

  private static ServerCredentials credentials(ServerConfig config) {
    TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder();
    try {
      tls.keyManager(config.tlsCert().toFile(), config.tlsKey().toFile());
    } catch (IOException e) {
      throw new InvalidConfigException(
          "--tls-cert",
          config.tlsCert() + " or " + config.tlsKey() + " cannot be read: " + rootMessage(e));
    }
    if (config.tlsClientCa() != null) {
      try {
        tls.trustManager(clientCas(config.tlsClientCa()));
      } catch (GeneralSecurityException | IOException e) {
        throw new InvalidConfigException(
            "--tls-client-ca",
            config.tlsClientCa() + " holds no usable PEM certificate: " + rootMessage(e));
      }
      tls.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return tls.build();
  }

  /**
   * Trust in the CA certificates of {@code file}, read here rather than by Netty so that a bad file
   * is reported as such.
   */
  private static TrustManager[] clientCas(Path file) throws GeneralSecurityException, IOException {
    Collection<? extends Certificate> cas;
    try (InputStream in = Files.newInputStream(file)) {
      cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (cas.isEmpty()) {
      throw new CertificateException("no certificate in it");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate ca : cas) {
      store.setCertificateEntry("client-ca-" + i++, ca);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  static BackendConfig backendConfig(ServerConfig c) {
    return BackendConfig.loopback()
        .bindAddress(c.sipAddress())
        .sipPort(c.sipPort())
        .transport(c.sipTransport())
        .advertisedAddress(c.advertisedAddress())
        .rtpPorts(c.rtpPortMin(), c.rtpPortMax())
        .registerTimeout(c.registerTimeout())
        .transactionTimeout(c.transactionTimeout())
        .transferTimeout(c.transferTimeout())
        .mediaTimeout(c.mediaTimeout())
        .sessionExpires(c.sessionExpires())
        .srtp(c.srtp())
        .recordingsDir(c.recordingsDir())
        .userAgent("sipline/" + Version.get())
        .options(c.backendOptions())
        .build();
  }

  /**
   * The line waits a little longer than the backend's own bound on each network step, so the
   * backend's verdict (with its SIP response or timeout) is what the client sees.
   */
  static LineConfig lineConfig(ServerConfig c) {
    return lineConfig(c, 0);
  }

  private static CallRecordKeeper openCallRecords(ServerConfig config) throws IOException {
    try {
      return CallRecordKeeper.open(config.callRecords(), config.callRecordsKeep());
    } catch (IOException e) {
      throw new InvalidConfigException(
          "--call-records", config.callRecords() + " cannot be opened: " + e.getMessage());
    }
  }

  /**
   * Line {@code index}'s configuration. The default line journals to {@code --journal} itself, as a
   * single-line server does; every other line to a file beside it named {@code <journal>.<line>}.
   */
  static LineConfig lineConfig(ServerConfig c, int index) {
    return lineConfig(c, c.lines().get(index).name(), index == 0, CallRecordSink.DISCARD);
  }

  /**
   * The configuration of line {@code name}, its call records going to {@code records}; see {@link
   * #lineConfig(ServerConfig, int)}.
   */
  static LineConfig lineConfig(
      ServerConfig c, String name, boolean defaultLine, CallRecordSink records) {
    Path journal = c.journal();
    if (journal != null && !defaultLine) {
      journal = journal.resolveSibling(journal.getFileName() + "." + name);
    }
    LineConfig.Builder b =
        LineConfig.builder()
            .name(name)
            .historyLimit(c.historyLimit())
            .journal(journal)
            .clock(Clock.systemUTC())
            .callRecords(records);
    if (c.nluSessionTemplate() != null) {
      b.nluSessionTemplate(c.nluSessionTemplate());
    }
    return b.build();
  }

  private static String rootMessage(Throwable t) {
    Throwable cur = t;
    while (cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur.getMessage() == null ? cur.getClass().getSimpleName() : cur.getMessage();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.debug("closing {} failed", c, e);
    }
  }
}
