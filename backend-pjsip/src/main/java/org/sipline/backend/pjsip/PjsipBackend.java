package org.sipline.backend.pjsip;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.sip.InstanceId;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.BackendOptionCheck;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.Capacity;
import org.sipline.core.spi.CodecList;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.FinalResponse;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.TlsKeyPair;
import org.sipline.core.spi.TlsTrust;
import org.sipline.core.spi.TrustedSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pjsua as a {@link SipBackend}. pjsua is a process-wide singleton, so one instance runs per JVM at
 * a time. It owns two threads: the event drainer (every listener call) and the media pump (every
 * audio frame); pjsua's own threads never run Java code.
 */
final class PjsipBackend implements SipBackend {
  /** Backend option: seconds asked for in REGISTER's Expires (default 300). */
  static final String OPTION_REGISTER_EXPIRES = "register.expires";

  /** Backend option: a file pjsip writes its own log (SIP messages included) to. */
  static final String OPTION_LOG_FILE = "log.file";

  /** Backend option: pjsip's log level 0..6 for that file (default 4). */
  static final String OPTION_LOG_LEVEL = "log.level";

  /** Same name, values and default as jainsip's option. */
  static final String OPTION_MEDIA_REALTIME = "media.realtime";

  /** Same name and values as jainsip's option: pjsua's resolver asks these name servers. */
  static final String OPTION_DNS_SERVERS = "dns.servers";

  /**
   * The SCHED_FIFO priority asked for by default: jainsip's pacer default, for the same reasons.
   */
  static final int DEFAULT_MEDIA_REALTIME = 10;

  private static final int DEFAULT_EXPIRES = 300;
  private static final int MAX_EXPIRES = 86_400;
  private static final int DEFAULT_LOG_LEVEL = 4;
  private static final int MAX_LOG_LEVEL = 6;

  /**
   * Every option pjsip takes, as {@link PjsipBackendProvider#options()} declares them; the names
   * are the ones jainsip gives the same settings.
   */
  static final List<BackendOption> OPTIONS =
      List.of(
          BackendOption.integer(
              OPTION_REGISTER_EXPIRES, 1, MAX_EXPIRES, "seconds asked for in REGISTER's Expires"),
          BackendOption.addresses(
              TrustedSources.OPTION,
              "addresses besides registrars and outbound proxies that may open a dialog"),
          BackendOption.path(OPTION_LOG_FILE, "a file pjsip writes its own log to"),
          TlsTrust.DECLARATION,
          TlsKeyPair.CERT_DECLARATION,
          TlsKeyPair.KEY_DECLARATION,
          BackendOption.integer(OPTION_LOG_LEVEL, 0, MAX_LOG_LEVEL, "pjsip's log level"),
          BackendOption.integerOr(
              OPTION_MEDIA_REALTIME,
              1,
              99,
              Set.of("off"),
              "the SCHED_FIFO priority of pjmedia's clock thread and the media pump"),
          BackendOption.text(
              OPTION_DNS_SERVERS, "name servers (address[:port], comma-separated) for RFC 3263"),
          CodecList.DECLARATION);

  private static final Duration THREAD_STOP_BOUND = Duration.ofSeconds(5);
  private static final AtomicBoolean RUNNING = new AtomicBoolean();
  private static final Logger log = LoggerFactory.getLogger(PjsipBackend.class);

  private final Shim shim;
  private final BackendConfig config;
  private final int sipPort;
  private final int registerExpires;
  private final long transactionTimeoutNanos;
  private final Handles handles = new Handles();
  private final TrustedSources trusted;

  /** Names each digit sent, so that an INFO's answer finds its future; never 0. */
  private final AtomicInteger dtmfTokens = new AtomicInteger();

  private final MediaPump pump;
  private final Thread drainerThread;
  private final Thread pumpThread;

  /** What OPTIONS to the process are answered with (null: pjsua's own 200). */
  private Supplier<Capacity> capacity;

  /** The answer the shim was last given, so that it is told only of changes. */
  private Capacity optionsAnswer;

  /** Sends failed refreshes again after their backoff (pjsua would not): one daemon thread. */
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sipline-pjsip-register-retry");
            t.setDaemon(true);
            return t;
          });

  private final AtomicBoolean closed = new AtomicBoolean();
  private final OrphanRequests orphans = new OrphanRequests();

  /** Room for a dialog record (slpj_call_dialog) and for a Contact URI (slpj_account_contact). */
  private static final int DIALOG_CAPACITY = 8192;

  private static final int CONTACT_CAPACITY = 512;

  private PjsipBackend(
      Shim shim,
      BackendConfig config,
      int sipPort,
      int registerExpires,
      TrustedSources trusted,
      int realtime) {
    this.shim = shim;
    this.config = config;
    this.trusted = trusted;
    this.sipPort = sipPort;
    this.registerExpires = registerExpires;
    this.transactionTimeoutNanos = config.transactionTimeout().toNanos();
    this.pump =
        new MediaPump(
            shim, handles, config.mediaTimeout().toNanos(), config.recordingsDir(), realtime);
    this.drainerThread = new Thread(new EventDrainer(shim, this, handles), "sipline-pjsip-events");
    this.pumpThread = new Thread(pump, "sipline-pjsip-media");
    drainerThread.setDaemon(true);
    pumpThread.setDaemon(true);
  }

  @Override
  public BackendConfig config() {
    return config;
  }

  static PjsipBackend start(Shim shim, BackendConfig config) {
    Objects.requireNonNull(config, "config");
    // Core checked them already when started through Backends.start; a direct start is held to
    // the same list.
    BackendOptionCheck.check(PjsipBackendProvider.NAME, OPTIONS, config.options());
    String ca = config.options().get(TlsTrust.OPTION);
    if (ca != null) {
      TlsTrust.read(Path.of(ca)); // refuses a file without certificates now, naming the option
    }
    // OpenSSL would only log a bad pair when pjsua makes the listener: checked here, by name.
    Optional<TlsKeyPair> identity = TlsKeyPair.fromOptions(config.options());
    int expires = intOption(config, OPTION_REGISTER_EXPIRES, DEFAULT_EXPIRES);
    int logLevel = intOption(config, OPTION_LOG_LEVEL, DEFAULT_LOG_LEVEL);
    int realtime = mediaRealtime(config.options().get(OPTION_MEDIA_REALTIME));
    String logFile = config.options().get(OPTION_LOG_FILE);
    TrustedSources trusted =
        TrustedSources.parse(TrustedSources.OPTION, config.options().get(TrustedSources.OPTION));
    NameServers servers =
        NameServers.parse(OPTION_DNS_SERVERS, config.options().get(OPTION_DNS_SERVERS));
    if (!RUNNING.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "a pjsip backend is already running in this JVM (pjsua is a"
              + " process-wide singleton): close it first");
    }
    // Without tls.ca, the system's CAs (Debian's bundle), as jainsip takes the JDK's.
    shim.slpj_tls_config(
        ca != null ? ca : systemCas(),
        identity.map(p -> p.certificateFile().toString()).orElse(null),
        identity.map(p -> p.keyFile().toString()).orElse(null));
    byte[] err = CText.errorBuffer();
    // Every start says it, none included: the shim keeps them for the process.
    if (shim.slpj_set_nameservers(
            servers.hosts(), servers.ports(), servers.hosts().length, err, err.length)
        != 0) {
      RUNNING.set(false);
      throw new IllegalArgumentException("option '" + OPTION_DNS_SERVERS + "': " + CText.of(err));
    }
    List<String> codecs = codecs(shim, config.options().get(CodecList.OPTION));
    if (shim.slpj_codecs_config(String.join(",", codecs), err, err.length) != 0) {
      RUNNING.set(false);
      throw new IllegalArgumentException("option '" + CodecList.OPTION + "': " + CText.of(err));
    }
    // SDES keys in SIP over any transport: pjsua's secure-signalling check is off (slpj_srtp.c).
    int srtp =
        switch (config.srtp()) {
          case OFF -> 0;
          case OFFER -> 1;
          case REQUIRE -> 2;
        };
    if (shim.slpj_srtp_config(srtp, err, err.length) != 0) {
      RUNNING.set(false);
      throw new IllegalArgumentException(
          "SRTP mode " + config.srtp().flag() + ": " + CText.of(err));
    }
    int port =
        shim.slpj_start(
            config.bindAddress(),
            config.sipPort(),
            switch (config.transport()) {
              case UDP -> 0;
              case TCP -> 1;
              case TLS -> 2;
            },
            advertisedAddress(config),
            config.rtpPortMin(),
            config.rtpPortMax(),
            millis(config.registerTimeout()),
            millis(config.transactionTimeout()),
            millis(config.transferTimeout()),
            (int) config.sessionExpires().toSeconds(),
            config.userAgent(),
            logFile,
            logLevel,
            err,
            err.length);
    if (port < 0) {
      RUNNING.set(false);
      throw new IllegalStateException("pjsua did not start: " + CText.of(err));
    }
    shim.slpj_media_realtime(realtime);
    PjsipBackend backend = new PjsipBackend(shim, config, port, expires, trusted, realtime);
    backend.updateTrustedSources();
    backend.drainerThread.start();
    backend.pumpThread.start();
    log.info(
        "pjsip backend listening for SIP on {} {}:{} (pjproject {}); audio codecs in order of"
            + " preference: {}",
        config.transport(),
        config.bindAddress(),
        port,
        shim.slpj_runtime_version(),
        String.join(",", codecs));
    return backend;
  }

  /**
   * Without the codecs option: G.711 only. pjsua's bridge has one clock for every call; a wideband
   * codec in the list puts it at 16 kHz, and then a G.711 call's audio is resampled 8 → 16 → 8 kHz
   * on its way to and from our port, which costs its top band (white noise to 4 kHz correlated 0.81
   * in the conformance suite). So G.722 and Opus are there when asked for by name.
   */
  static final List<String> DEFAULT_CODECS = List.of(CodecList.PCMU, CodecList.PCMA);

  /**
   * The codecs option read as on every backend ({@link CodecList}); without it {@link
   * #DEFAULT_CODECS}.
   */
  static List<String> codecs(Shim shim, String value) {
    return value == null
        ? DEFAULT_CODECS
        : CodecList.parse(value, name -> codecAvailability(shim, name));
  }

  /** Whether the loaded pjproject has the codec built in, and if not how to build one that has. */
  static Availability codecAvailability(Shim shim, String name) {
    if (shim.slpj_codec_available(name) == 1) {
      return Availability.yes();
    }
    return Availability.no(
        "the pjproject loaded was built without "
            + name
            + (name.equals(CodecList.OPUS)
                ? " (configure it with --with-opus, libopus-dev installed)"
                : name.equals(CodecList.G722)
                    ? " (configure it without --disable-g722-codec)"
                    : ""));
  }

  /** The call's audio rate as the shim fixed it, 0 before its first stream. */
  int audioRate(PjsipCall call) {
    return Math.max(0, shim.slpj_call_audio_rate(call.handle()));
  }

  /**
   * The system's CA bundle where Debian (and most distributions) keep it, or "" (OpenSSL's
   * defaults, which pjsip does not load: every peer is then refused, saying so).
   */
  private static String systemCas() {
    Path debian = Path.of("/etc/ssl/certs/ca-certificates.crt");
    return Files.isReadable(debian) ? debian.toString() : "";
  }

  /** The SIP port actually bound (useful when the configuration asked for 0). */
  /**
   * The port that names this node in +sip.instance: the configured one, or the one this run got
   * when any port was asked for (see jainsip's Registration: never another process's instance).
   */
  private int instancePort() {
    return config.sipPort() != 0 ? config.sipPort() : sipPort;
  }

  int sipPort() {
    return sipPort;
  }

  @Override
  public String name() {
    return PjsipBackendProvider.NAME;
  }

  @Override
  public SipAccount register(AccountSpec spec, SipEventListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(listener, "listener");
    requireOpen();
    PjsipAccount existing = handles.accountNamed(spec.accountName());
    if (existing != null) {
      if (!existing.state().replaceable()) {
        throw new IllegalStateException(
            "account "
                + spec.accountName()
                + " is already registered with this backend ("
                + existing.state()
                + ")");
      }
      // Its binding is gone, going or never came: a fresh pjsua account takes its place.
      handles.removeAccount(existing);
      shim.slpj_account_delete(existing.handle());
    }
    SipUri aor = spec.aor();
    String registrar = aor.scheme() + ":" + aor.hostPort();
    String proxy = spec.outboundProxy() == null ? null : looseRoute(spec.outboundProxy());
    byte[] err = CText.errorBuffer();
    PjsipAccount account =
        handles.addAccount(
            spec.accountName(),
            handle -> new PjsipAccount(this, spec, listener, handle, registerExpires),
            () -> {
              int handle =
                  shim.slpj_account_add(
                      aor.toString(),
                      registrar,
                      spec.authUsername(),
                      spec.password(),
                      proxy,
                      registerExpires,
                      InstanceId.of(
                          InstanceId.node(InstanceId.localHostName(), instancePort()),
                          spec.accountName()),
                      err,
                      err.length);
              if (handle < 0) {
                throw new IllegalStateException(
                    "pjsua refused account " + spec.accountName() + ": " + CText.of(err));
              }
              return handle;
            });
    updateTrustedSources();
    log.info(
        "REGISTER {} to {}{} sent (auth user {})",
        aor,
        registrar,
        proxy == null ? "" : " via " + proxy,
        spec.authUsername());
    return account;
  }

  /**
   * Hands the shim who may send out-of-dialog INVITEs now: called at start, when an account is
   * added and whenever one registers (its registrar's name resolved again).
   */
  void updateTrustedSources() {
    if (closed.get()) {
      return;
    }
    String[] addrs = trusted.addresses(handles.accounts()).toArray(new String[0]);
    byte[] err = CText.errorBuffer();
    if (shim.slpj_set_trusted(addrs, addrs.length, trusted.anyone() ? 1 : 0, err, err.length) < 0) {
      log.warn("trusted sources {} not taken by the shim: {}", List.of(addrs), CText.of(err));
    } else {
      log.debug(
          "trusted sources for out-of-dialog INVITEs: {}{}",
          List.of(addrs),
          trusted.anyone() ? " and anyone" : "");
    }
  }

  /** Out-of-dialog INVITE, REFER and MESSAGE requests from strangers refused so far. */
  long strangersRefused() {
    return shim.slpj_strangers_refused();
  }

  void unregister(PjsipAccount account) {
    requireOpen();
    byte[] err = CText.errorBuffer();
    if (shim.slpj_account_unregister(account.handle(), err, err.length) < 0) {
      throw new IllegalStateException(
          "un-REGISTER of " + account.spec().accountName() + " failed: " + CText.of(err));
    }
  }

  /**
   * Sends {@code account}'s REGISTER again after {@code delay}, unless it was un-registered, the
   * backend closed, or a REGISTER is already in flight meanwhile. Its outcome arrives as any
   * REGISTER's: REGISTERED, or REGISTRATION_FAILED (and another retry).
   */
  void retryRegistration(PjsipAccount account, Duration delay) {
    if (closed.get()) {
      return;
    }
    // Nothing waits on the retry: its outcome comes back as a REGISTER event.
    Future<?> unused =
        retries.schedule(
            () -> {
              if (closed.get() || account.state() != AccountState.RETRYING) {
                return;
              }
              byte[] err = CText.errorBuffer();
              if (shim.slpj_account_register(account.handle(), err, err.length) < 0) {
                log.warn(
                    "REGISTER {} retry not sent: {}", account.spec().accountName(), CText.of(err));
              }
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void answerOptionsWith(Supplier<Capacity> capacity) {
    this.capacity = Objects.requireNonNull(capacity, "capacity");
    refreshOptionsAnswer();
  }

  /**
   * Gives the shim the capacity as it is now: the shim answers OPTIONS on pjsip's thread, which
   * must not call Java. Called when the supplier is set and by the event thread after every event
   * and at every housekeeping round, so the answer is at most one round old.
   */
  synchronized void refreshOptionsAnswer() {
    if (capacity == null || closed.get()) {
      return;
    }
    Capacity now = capacity.get();
    if (now == optionsAnswer) {
      return;
    }
    byte[] err = CText.errorBuffer();
    if (shim.slpj_set_options_answer(now.statusCode(), now.reason(), err, err.length) < 0) {
      log.warn("OPTIONS answer {} not set: {}", now, CText.of(err));
      return;
    }
    optionsAnswer = now;
  }

  PjsipCall placeCall(
      PjsipAccount account, SipUri target, Map<String, String> headers, CallMedia media) {
    requireOpen();
    String[] names = headers.keySet().toArray(new String[0]);
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = headers.get(names[i]);
    }
    byte[] err = CText.errorBuffer();
    byte[] callId = new byte[256];
    PjsipCall call =
        handles.addCall(
            () -> {
              int handle =
                  shim.slpj_call_make(
                      account.handle(),
                      target.toString(),
                      names,
                      values,
                      names.length,
                      callId,
                      callId.length,
                      err,
                      err.length);
              if (handle < 0) {
                throw new IllegalStateException(
                    "INVITE to " + target + " not sent: " + CText.of(err));
              }
              return new PjsipCall(this, account, handle, CText.of(callId), false, target, media);
            });
    log.info(
        "INVITE {} from {} sent, Call-ID {}, {} extra header(s)",
        target,
        account.spec().aor(),
        call.callId(),
        names.length);
    return call;
  }

  void answer(PjsipCall call) {
    handles.mediaStarted(call);
    byte[] err = CText.errorBuffer();
    if (shim.slpj_call_answer(call.handle(), err, err.length) < 0) {
      log.info("call {}: 200 OK not sent: {}", call.callId(), CText.of(err));
    }
  }

  void reject(PjsipCall call, int statusCode, String reason) {
    byte[] err = CText.errorBuffer();
    if (shim.slpj_call_reject(call.handle(), statusCode, reason, err, err.length) < 0) {
      log.info("call {}: {} not sent: {}", call.callId(), statusCode, CText.of(err));
    }
  }

  void hangup(PjsipCall call) {
    byte[] err = CText.errorBuffer();
    if (shim.slpj_call_hangup(call.handle(), err, err.length) < 0) {
      log.info("call {}: hangup skipped: {}", call.callId(), CText.of(err));
    }
  }

  void terminate(PjsipCall call) {
    byte[] err = CText.errorBuffer();
    if (shim.slpj_call_terminate(call.handle(), err, err.length) < 0) {
      log.info("call {}: terminate skipped: {}", call.callId(), CText.of(err));
    }
  }

  void transfer(PjsipCall call, SipUri target, Map<String, String> headers) {
    String[] names = headers.keySet().toArray(new String[0]);
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = headers.get(names[i]);
    }
    byte[] err = CText.errorBuffer();
    if (shim.slpj_call_transfer(
            call.handle(), target.toString(), names, values, names.length, err, err.length)
        < 0) {
      throw new IllegalStateException("transfer of call " + call.callId() + ": " + CText.of(err));
    }
    log.info(
        "REFER Call-ID {} to {} sent, {} extra header(s)", call.callId(), target, names.length);
  }

  /**
   * Sends one digit: RFC 4733 when the far end negotiated telephone-event, SIP INFO otherwise (the
   * shim tries the first and falls back when pjsua says it was not negotiated).
   */
  CompletableFuture<DtmfMethod> sendDtmf(PjsipCall call, char digit, int durationMillis) {
    requireOpen();
    int token = dtmfTokens.updateAndGet(t -> t == Integer.MAX_VALUE ? 1 : t + 1);
    return call.dtmfOut().send(token, digit, durationMillis, System.nanoTime());
  }

  /** The shim's DTMF calls for one call, as its {@link DtmfSender} uses them. */
  DtmfSender.Native dtmfShim(PjsipCall call) {
    return new DtmfSender.Native() {
      @Override
      public int send(int token, char digit, int durationMillis, byte[] err) {
        int method =
            shim.slpj_call_send_dtmf(call.handle(), digit, durationMillis, token, err, err.length);
        if (method >= 0) {
          log.info(
              "call {}: DTMF '{}' for {} ms sent as {}",
              call.callId(),
              digit,
              durationMillis,
              method == 0 ? "RFC 4733 telephone-event" : "SIP INFO");
        }
        return method;
      }

      @Override
      public int queued() {
        return shim.slpj_call_dtmf_queued(call.handle());
      }
    };
  }

  /** How long a DTMF INFO may go unanswered before its digit fails. */
  long transactionTimeoutNanos() {
    return transactionTimeoutNanos;
  }

  /** The call's audio codec as its stream names it, "" when no audio stream runs. */
  String audioCodec(PjsipCall call) {
    byte[] out = new byte[32];
    return shim.slpj_call_codec(call.handle(), out, out.length) < 0 ? "" : CText.of(out);
  }

  /** The call's RTP figures so far; {@link RtpStatistics#NONE} when its slot is gone. */
  RtpStatistics rtpStatistics(PjsipCall call) {
    long[] figures = new long[RtpFigures.FIELDS];
    return shim.slpj_call_rtp_stat(call.handle(), figures, figures.length) < 0
        ? RtpStatistics.NONE
        : RtpFigures.of(figures);
  }

  /** RTP packets the call's audio stream received so far; -1 before media starts or after it. */
  long rtpPacketsReceived(PjsipCall call) {
    return shim.slpj_call_rx_packets(call.handle());
  }

  /** The call's confirmed dialog as pjsip holds it (slpj_dialog.c), empty before or without. */
  Optional<DialogRecord> dialogRecord(PjsipCall call) {
    if (closed.get()) {
      return Optional.empty();
    }
    byte[] text = new byte[DIALOG_CAPACITY];
    int n = shim.slpj_call_dialog(call.handle(), text, text.length);
    return n <= 0 ? Optional.empty() : Optional.of(DialogFields.parse(text, n));
  }

  /** The Contact the account's last REGISTER bound, while the account is registered. */
  Optional<BindingRecord> binding(PjsipAccount account) {
    if (closed.get()) {
      return Optional.empty();
    }
    byte[] text = new byte[CONTACT_CAPACITY];
    int n = shim.slpj_account_contact(account.handle(), text, text.length);
    if (n <= 0) {
      return Optional.empty();
    }
    AccountSpec spec = account.spec();
    return Optional.of(
        new BindingRecord(
            spec.aor().toString(),
            new String(text, 0, n, StandardCharsets.UTF_8),
            spec.outboundProxy() == null ? "" : spec.outboundProxy().toString(),
            config.transport()));
  }

  @Override
  public CompletableFuture<FinalResponse> endOrphanedDialog(DialogRecord dialog) {
    Objects.requireNonNull(dialog, "dialog");
    requireOpen();
    if (dialog.nextCseq() < 1 || dialog.nextCseq() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("CSeq " + dialog.nextCseq() + " outside 1..2^31-1");
    }
    return orphans.send(
        "BYE Call-ID " + dialog.callId() + " to " + dialog.farEnd(),
        (token, err) ->
            shim.slpj_orphan_bye(
                dialog.callId(),
                dialog.localUri(),
                dialog.localTag(),
                dialog.remoteUri(),
                dialog.remoteTag(),
                dialog.remoteTarget(),
                dialog.routeSet().toArray(String[]::new),
                dialog.routeSet().size(),
                (int) dialog.nextCseq(),
                token,
                err,
                err.length));
  }

  @Override
  public CompletableFuture<FinalResponse> removeBinding(
      BindingRecord binding, AccountSpec credentials) {
    Objects.requireNonNull(binding, "binding");
    requireOpen();
    String proxy;
    try {
      proxy =
          binding.outboundProxy().isEmpty()
              ? ""
              : looseRoute(SipAddresses.parseProxy("outboundProxy", binding.outboundProxy()));
    } catch (InvalidArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return orphans.send(
        "REGISTER " + binding.aor() + " Contact " + binding.contact() + " Expires: 0",
        (token, err) ->
            shim.slpj_orphan_unregister(
                binding.aor(),
                binding.contact(),
                proxy,
                credentials == null ? "" : credentials.authUsername(),
                credentials == null ? "" : credentials.password(),
                token,
                err,
                err.length));
  }

  /** The event thread's report of an orphan request's final response (slpj_dialog.c). */
  void orphanDone(int token, int status, String reason) {
    orphans.done(token, status, reason);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Every live call gets its terminal event, then the drainer meets CLOSED and stops.
    shim.slpj_post_closed();
    join(drainerThread);
    pump.stop();
    join(pumpThread);
    retries.shutdownNow();
    try {
      // A retry under way finishes with pjsua, not after it.
      retries.awaitTermination(THREAD_STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shim.slpj_destroy(); // un-REGISTERs bounded per account by min(registerTimeout, 4 s)
    orphans.closed();
    RUNNING.set(false);
    log.info("pjsip backend closed");
  }

  private void join(Thread thread) {
    if (thread == Thread.currentThread()) {
      return; // close() called from a listener: the thread ends by itself after returning
    }
    try {
      thread.join(THREAD_STOP_BOUND.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("{} did not stop within {}", thread.getName(), THREAD_STOP_BOUND);
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("pjsip backend is closed");
    }
  }

  private static String advertisedAddress(BackendConfig config) {
    if (config.advertisedAddress() != null) {
      return config.advertisedAddress();
    }
    String bind = config.bindAddress();
    // A wildcard bind has no address to put in Contact and SDP: pjsua picks the interface.
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") ? null : bind;
  }

  /** pjsua wants the proxy as a loose-routing Route entry. */
  private static String looseRoute(SipUri proxy) {
    String uri = proxy.toString();
    return proxy.params().contains(";lr") ? "<" + uri + ">" : "<" + uri + ";lr>";
  }

  /** An INTEGER option {@link BackendOptionCheck} has passed, or its default when absent. */
  /**
   * {@value #OPTION_MEDIA_REALTIME}, already held to {@link #OPTIONS}: "off" (0) or a SCHED_FIFO
   * priority; {@value #DEFAULT_MEDIA_REALTIME} when not set.
   */
  static int mediaRealtime(String value) {
    if (value == null) {
      return DEFAULT_MEDIA_REALTIME;
    }
    return value.equals("off") ? 0 : Integer.parseInt(value.trim());
  }

  private static int intOption(BackendConfig config, String name, int fallback) {
    String raw = config.options().get(name);
    return raw == null ? fallback : Integer.parseInt(raw.strip());
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
