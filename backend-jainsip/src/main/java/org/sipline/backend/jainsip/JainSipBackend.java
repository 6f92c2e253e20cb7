package org.sipline.backend.jainsip;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.FinalResponse;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jainsip backend: one JAIN-SIP stack and one SIP executor serving every account (line) and
 * call of the JVM. See the package documentation for the threads and the options.
 */
final class JainSipBackend implements SipBackend {
  private static final Logger log = LoggerFactory.getLogger(JainSipBackend.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** How long close() lets un-REGISTERs run at most, whatever the register timeout. */
  private static final Duration MAX_CLOSE_WAIT = Duration.ofSeconds(3);

  private static final Duration THREAD_STOP_WAIT = Duration.ofSeconds(2);

  private final SipContext ctx;
  private final Map<String, JainSipAccount> accounts = new ConcurrentHashMap<>();

  private JainSipBackend(SipContext ctx) {
    this.ctx = ctx;
  }

  /** Starts the stack for {@code config}; fails naming the setting that can't be honoured. */
  static JainSipBackend start(BackendConfig config) {
    return start(config, null);
  }

  /**
   * As {@link #start(BackendConfig)}, with {@code dnsRandom} ordering SRV targets of one priority
   * (null: a SecureRandom); tests pass a seeded one.
   */
  static JainSipBackend start(BackendConfig config, java.util.random.RandomGenerator dnsRandom) {
    Objects.requireNonNull(config, "config");
    BackendOptions options = BackendOptions.from(config);
    org.sipline.core.spi.Availability opus =
        org.sipline.backend.jainsip.media.OpusEncoder.availability();
    log.info(
        "Audio codecs in order of preference: {}{}",
        options.codecs(),
        opus.available() ? "" : " (Opus is not available: " + opus.reason() + ")");
    LocalAddresses addresses = LocalAddresses.of(config);
    ThreadGroup group = new ThreadGroup("sipline-jainsip-" + INSTANCES.incrementAndGet());
    SipExecutor executor = new SipExecutor(group, group.getName() + "-sip");
    JainSipStack stack;
    try {
      stack = JainSipStack.start(group, config, options);
    } catch (RuntimeException e) {
      executor.shutdown(THREAD_STOP_WAIT);
      throw e;
    }
    RtpSessions rtp;
    try {
      rtp = JainSipStack.callIn(group, () -> RtpSessions.start(config, options.pacerRealtime()));
    } catch (RuntimeException e) {
      executor.shutdown(THREAD_STOP_WAIT);
      stack.close(THREAD_STOP_WAIT);
      throw new IllegalStateException("cannot start RTP media: " + e.getMessage(), e);
    }
    SipContext ctx = new SipContext(config, options, stack, executor, addresses, rtp, dnsRandom);
    JainSipBackend backend = new JainSipBackend(ctx);
    Strangers strangers =
        new Strangers(options.trusted(), backend.accounts.values(), config.observer());
    stack.listen(
        new SipDispatcher(
            ctx, strangers, new IncomingInvites(ctx, backend.accounts.values(), strangers)));
    return backend;
  }

  @Override
  public String name() {
    return JainSipBackendProvider.NAME;
  }

  @Override
  public BackendConfig config() {
    return ctx.config;
  }

  /** The port SIP listens on for the configured transport (useful when it was 0). */
  int sipPort() {
    return ctx.stack.port(ctx.config.transport());
  }

  /** The SIP executor, for tests that load it. */
  SipExecutor executor() {
    return ctx.executor;
  }

  /** The thread group holding every thread of this backend, for leak checks. */
  ThreadGroup threads() {
    return ctx.stack.threads;
  }

  @Override
  public SipAccount register(AccountSpec spec, SipEventListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(listener, "listener");
    ctx.requireOpen("register " + spec.accountName());
    requireQuotable("authUsername", spec.authUsername());
    JainSipAccount account = new JainSipAccount(ctx, spec, listener);
    JainSipAccount previous = accounts.putIfAbsent(spec.accountName(), account);
    if (previous != null) {
      throw new IllegalStateException(
          "account " + spec.accountName() + " is already registered with this backend");
    }
    account.registration().onTerminal(() -> accounts.remove(spec.accountName(), account));
    ctx.executor.execute(account.registration()::start);
    return account;
  }

  @Override
  public CompletableFuture<FinalResponse> endOrphanedDialog(DialogRecord dialog) {
    Objects.requireNonNull(dialog, "dialog");
    return OrphanRequest.send(
        ctx, cseq -> OrphanMessages.bye(ctx, dialog, cseq), dialog.nextCseq(), null);
  }

  @Override
  public CompletableFuture<FinalResponse> removeBinding(
      BindingRecord binding, AccountSpec credentials) {
    Objects.requireNonNull(binding, "binding");
    String callId = ctx.token(16) + "@sipline";
    String fromTag = ctx.token(6);
    DigestAuthenticator auth =
        credentials == null
            ? null
            : new DigestAuthenticator(
                credentials.authUsername(), credentials.password(), ctx.random);
    return OrphanRequest.send(
        ctx, cseq -> OrphanMessages.unregister(ctx, binding, callId, fromTag, cseq), 1, auth);
  }

  @Override
  public void paceFirstRegisters(double perSecond) {
    ctx.registerPace.rate(perSecond);
  }

  @Override
  public void answerOptionsWith(
      java.util.function.Supplier<org.sipline.core.spi.Capacity> capacity) {
    ctx.capacity = Objects.requireNonNull(capacity, "capacity");
  }

  /** A value we put between quotes in a header: no quote, backslash or control character. */
  private static void requireQuotable(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            field + " contains character 0x" + Integer.toHexString(c) + " at " + i);
      }
    }
  }

  /**
   * Ends every call (BYE, CANCEL or decline, not awaited; {@code callEnded(ERROR)} or {@code
   * callFailed} reported) and un-REGISTERs every account, waiting for the registrars at most the
   * register timeout (and never more than 3 s), then stops the media, the stack and every thread of
   * the backend.
   */
  @Override
  public void close() {
    if (!ctx.closed.compareAndSet(false, true)) {
      return;
    }
    Duration wait = min(ctx.config.registerTimeout(), MAX_CLOSE_WAIT);
    List<JainSipAccount> open = List.copyOf(accounts.values());
    CountDownLatch unregistered = new CountDownLatch(open.size());
    CountDownLatch requested = new CountDownLatch(1);
    Runnable endAll =
        () -> {
          for (JainSipCall call : ctx.calls.all()) {
            call.shutdown();
          }
          for (JainSipAccount account : open) {
            Registration r = account.registration();
            r.onTerminal(
                () -> {
                  accounts.remove(account.spec().accountName(), account);
                  unregistered.countDown();
                });
            if (r.state().isTerminal()) {
              unregistered.countDown();
            } else {
              r.unregister();
            }
          }
          requested.countDown();
        };
    if (ctx.executor.inExecutor()) {
      // Called from a listener: do it now; nothing can be awaited on this thread.
      endAll.run();
    } else {
      ctx.executor.execute(endAll);
      try {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean sent = requested.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        long left = Math.max(0, deadline - System.nanoTime());
        if (!sent || !unregistered.await(left, TimeUnit.NANOSECONDS)) {
          log.warn(
              "closing with {} un-REGISTER(s) unanswered after {}",
              unregistered.getCount(),
              Durations.text(wait));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ctx.locations.close();
    ctx.executor.shutdown(THREAD_STOP_WAIT);
    ctx.rtp.close();
    ctx.stack.close(THREAD_STOP_WAIT);
    log.info("jainsip backend closed");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
