package org.sipline.backend.jainsip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.ClientTransaction;
import javax.sip.ObjectInUseException;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipline.backend.jainsip.dns.SipTarget;
import org.sipline.core.sip.InstanceId;
import org.sipline.core.sip.RegistrationTiming;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's binding at its registrar (RFC 3261 §10): REGISTER with digest auth, refreshed
 * before it expires with the same Call-ID and a growing CSeq, retried while the registrar is away,
 * removed with Expires: 0. Refreshed at a random point of the granted time, retried after failures
 * with a growing, jittered wait ({@link RegistrationTiming}); the Contact carries the line's stable
 * {@code +sip.instance} ({@link InstanceId}). Every attempt is bounded by the configured register
 * timeout, well before the stack's own 32 s Timer F. Lives on the SIP executor.
 */
final class Registration {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);

  private static final String INSTANCE_PARAM = "+sip.instance";

  private final SipContext ctx;
  private final JainSipAccount account;
  private final AccountSpec spec;
  private final DigestAuthenticator auth;
  private final String callId;
  private final String fromTag;
  private final String instance;
  private int failures;
  private long cseq;
  private int requestedExpires;
  private int grantedExpires;
  private RegistrationState state = RegistrationState.REGISTERING;
  private ClientTransaction current;
  private SipExecutor.Timer deadline = SipExecutor.Timer.NONE;
  private SipExecutor.Timer next = SipExecutor.Timer.NONE;

  /** The located registrar targets still to try, the one in use first. */
  private List<SipTarget> targets = List.of();

  /** The host the targets were located for: the name a TLS registrar's certificate must carry. */
  private String locatedHost = "";

  /** Waiting for a location; {@link #lookups} tells a stale answer from the awaited one. */
  private boolean locating;

  private int lookups;

  /** Every address the last location of the registrar (or proxy) found: where calls come from. */
  private java.util.Set<String> located = java.util.Set.of();

  private Runnable onTerminal = () -> {};

  /** Whether the first REGISTER took its turn under {@code --register-rate} (waited or not). */
  private boolean paced;

  /** The first REGISTER's turn while it waits for it; null once sent, or cancelled. */
  private FirstRegisterPace.Turn turn;

  /** The Contact the last REGISTER carried. */
  private String contactSent;

  /** The binding the registrar holds for us; read from any thread by {@link #binding()}. */
  private volatile BindingRecord bound;

  Registration(SipContext ctx, JainSipAccount account) {
    this.ctx = ctx;
    this.account = account;
    this.spec = account.spec();
    this.auth = new DigestAuthenticator(spec.authUsername(), spec.password(), ctx.random);
    this.callId = ctx.token(16) + "@sipline";
    this.fromTag = ctx.token(6);
    this.requestedExpires = ctx.options.registerExpires();
    // The configured port names the node; with "any port" the port this run got (a restart then
    // leaves its old binding to expire, as its Contact changes too — but never takes another
    // process's on this host).
    int port =
        ctx.config.sipPort() != 0 ? ctx.config.sipPort() : ctx.stack.port(ctx.config.transport());
    this.instance =
        InstanceId.quoted(InstanceId.node(InstanceId.localHostName(), port), spec.accountName());
  }

  RegistrationState state() {
    return state;
  }

  /**
   * Whether {@code address} is one the registrar or outbound proxy was located at: trusted as a
   * source of calls without a lookup on the SIP thread (see {@link Strangers}).
   */
  boolean locatedAt(String address) {
    return located.contains(address);
  }

  /** The binding granted last, or null before the first 2xx and after the un-REGISTER. */
  BindingRecord binding() {
    return bound;
  }

  /** Runs once the registration reaches a terminal state (failed or unregistered). */
  void onTerminal(Runnable action) {
    this.onTerminal = action;
  }

  /** Sends the first REGISTER. */
  void start() {
    attempt(requestedExpires);
  }

  /** Removes the binding; {@code unregistered} follows. A second call does nothing. */
  void unregister() {
    switch (state) {
      case UNREGISTERING, UNREGISTERED -> {
        return;
      }
      case FAILED -> {
        // Nothing is bound; still tell the listener its request is done.
        account.listener().unregistered(account);
        return;
      }
      default -> {}
    }
    if (turn != null) {
      // The first REGISTER still waits for its turn: nothing left, nothing is bound.
      turn.cancel();
      turn = null;
      log.info("REGISTER {} Call-ID {}: un-registered before its turn", spec.accountName(), callId);
      move(RegistrationState.UNREGISTERING);
      finishUnregister();
      return;
    }
    next.cancel();
    abandonCurrent();
    locating = false;
    lookups++;
    move(RegistrationState.UNREGISTERING);
    attempt(0);
  }

  private void attempt(int expires) {
    auth.newChain();
    deadline.cancel();
    deadline = ctx.executor.schedule(ctx.config.registerTimeout(), this::onDeadline);
    locate(expires);
  }

  /**
   * RFC 3263: locates the registrar (or the outbound proxy) and then sends. A numeric host at once;
   * a name on the location threads, whose answer comes back here as an event. Every attempt locates
   * again (answers are cached for their TTL), keeping the target in use while it is still listed.
   */
  private void locate(int expires) {
    SipUri hop = SipContext.nextHop(spec.aor().withoutUser(), spec.outboundProxy());
    locatedHost = hop.host();
    List<SipTarget> now = ctx.locations.immediate(hop, ctx.config.transport());
    if (now != null) {
      use(now, expires);
      return;
    }
    int generation = ++lookups;
    locating = true;
    ctx.locations.locate(
        hop,
        ctx.config.transport(),
        SipContext.LOOKUP_BOUND,
        outcome ->
            ctx.executor.execute(
                () -> {
                  if (generation != lookups || !locating) {
                    return; // given up on (deadline, un-REGISTER) meanwhile
                  }
                  locating = false;
                  if (outcome.ok()) {
                    use(outcome.targets(), expires);
                  } else {
                    failAttempt(SipFailure.noResponse(outcome.failure()));
                  }
                }));
  }

  private void use(List<SipTarget> found, int expires) {
    located = found.stream().map(SipTarget::address).collect(java.util.stream.Collectors.toSet());
    List<SipTarget> ordered = new ArrayList<>(found);
    SipTarget inUse = targets.isEmpty() ? null : targets.get(0);
    if (inUse != null && ordered.remove(inUse)) {
      ordered.add(0, inUse); // a refresh stays with the registrar that holds our binding
    }
    targets = ordered;
    ctx.stack.router().pin(callId, targets.get(0), locatedHost);
    send(expires);
  }

  /**
   * RFC 3263 §4.3: after a timeout, a 503 or a transport error the REGISTER goes to the next
   * located target in a new transaction, with a fresh bound. False when none is left.
   */
  private boolean nextTarget(String why, int expires) {
    if (targets.size() < 2) {
      return false;
    }
    SipTarget failedTarget = targets.remove(0);
    SipTarget next = targets.get(0);
    log.info(
        "REGISTER {} Call-ID {}: {} at {}; trying {}",
        spec.accountName(),
        callId,
        why,
        failedTarget,
        next);
    abandonCurrent();
    ctx.stack.router().pin(callId, next, locatedHost);
    auth.newChain();
    deadline.cancel();
    deadline = ctx.executor.schedule(ctx.config.registerTimeout(), this::onDeadline);
    send(expires);
    return true;
  }

  /**
   * Sends the REGISTER; the first of the account only when its turn under {@code --register-rate}
   * came (on this thread: where it leaves), its register timeout counted from then.
   */
  private void send(int expires) {
    if (paced) {
      transmit(expires);
      return;
    }
    paced = true;
    deadline.cancel();
    FirstRegisterPace.Turn t =
        ctx.registerPace.take(
            () -> {
              turn = null;
              deadline = ctx.executor.schedule(ctx.config.registerTimeout(), this::onDeadline);
              transmit(expires);
            });
    turn = t.waiting() ? t : null;
  }

  private void transmit(int expires) {
    Request request;
    try {
      request = build(expires);
    } catch (Exception e) {
      failAttempt(
          SipFailure.exception(
              "cannot build REGISTER for " + spec.accountName() + ": " + e.getMessage(), e));
      return;
    }
    try {
      ClientTransaction tx = ctx.provider().getNewClientTransaction(request);
      tx.setApplicationData(new Handler(tx, expires));
      current = tx;
      tx.sendRequest();
      log.debug("{} sent (Expires {})", SipLog.request(request), expires);
    } catch (Exception e) {
      current = null;
      if (nextTarget("cannot send: " + e.getMessage(), expires)) {
        return;
      }
      failAttempt(
          TlsFailure.of(
              "cannot send " + SipLog.request(request), spec.aor(), spec.outboundProxy(), e));
    }
  }

  private Request build(int expires) throws Exception {
    URI registrar = ctx.uri(spec.aor().withoutUser());
    Address aor = ctx.address(spec.aor());
    FromHeader from = ctx.headers().createFromHeader(aor, fromTag);
    ToHeader to = ctx.headers().createToHeader(aor, null);
    String localHost = ctx.localHostToward(targets.get(0).address());
    Request request =
        ctx.request(
            Request.REGISTER, registrar, from, to, callId, ++cseq, localHost, spec.outboundProxy());
    ContactHeader contact =
        ctx.contact(account.contactUser(), localHost, ctx.secure(spec.aor(), spec.aor()));
    contactSent = contact.getAddress().getURI().toString();
    // RFC 5626 §4.2: the same instance on every REGISTER, so a restarted process's REGISTER
    // replaces the binding its previous run left at the registrar.
    contact.setParameter(INSTANCE_PARAM, instance);
    request.addHeader(contact);
    request.addHeader(ctx.headers().createExpiresHeader(expires));
    auth.authorize(request, ctx.headers());
    return request;
  }

  private final class Handler implements ResponseHandler {
    private final ClientTransaction tx;
    private final int expires;

    Handler(ClientTransaction tx, int expires) {
      this.tx = tx;
      this.expires = expires;
    }

    @Override
    public void onResponse(ResponseEvent event) {
      if (tx != current) {
        return; // an attempt we gave up on
      }
      Response response = event.getResponse();
      int code = response.getStatusCode();
      if (code < 200) {
        return;
      }
      log.debug("{}: {}", SipLog.request(tx.getRequest()), SipLog.status(response));
      current = null;
      if (code < 300) {
        succeeded(response, expires);
      } else if (code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) {
        String refusal = auth.challenged(response);
        if (refusal == null) {
          send(expires);
        } else {
          failAttempt(SipFailure.response(code, response.getReasonPhrase() + " (" + refusal + ")"));
        }
      } else if (code == Response.SERVICE_UNAVAILABLE
          && nextTarget(code + " " + response.getReasonPhrase(), expires)) {
        return;
      } else if (code == Response.INTERVAL_TOO_BRIEF
          && expires > 0
          && minExpires(response) > expires) {
        requestedExpires = minExpires(response);
        log.info(
            "{}: {}, asking for {} s",
            SipLog.request(tx.getRequest()),
            SipLog.status(response),
            requestedExpires);
        send(requestedExpires);
      } else {
        failAttempt(SipFailure.response(code, response.getReasonPhrase()));
      }
    }

    @Override
    public void onStackTimeout() {
      if (tx == current) {
        if (nextTarget("no response (transaction timed out)", expires)) {
          return;
        }
        current = null;
        failAttempt(
            SipFailure.noResponse(
                "no answer to REGISTER from "
                    + spec.aor().hostPort()
                    + " (transaction timed out)"));
      }
    }
  }

  private static int minExpires(Response response) {
    MinExpiresHeader h = (MinExpiresHeader) response.getHeader(MinExpiresHeader.NAME);
    return h == null ? -1 : h.getExpires();
  }

  private void onDeadline() {
    if (locating) {
      locating = false;
      lookups++;
      failAttempt(
          SipFailure.noResponse(
              "DNS lookup of "
                  + SipContext.nextHop(spec.aor(), spec.outboundProxy()).host()
                  + " timed out after "
                  + Durations.text(ctx.config.registerTimeout())));
      return;
    }
    if (current == null) {
      return; // answered, or the send itself failed and was reported
    }
    if (current.getApplicationData() instanceof Handler h
        && nextTarget(
            "no answer within " + Durations.text(ctx.config.registerTimeout()), h.expires)) {
      return;
    }
    abandonCurrent();
    failAttempt(
        SipFailure.noResponse(
            "no answer to REGISTER from "
                + spec.aor().hostPort()
                + " within "
                + Durations.text(ctx.config.registerTimeout())));
  }

  private void succeeded(Response response, int expires) {
    deadline.cancel();
    if (state == RegistrationState.UNREGISTERING) {
      log.info(
          "REGISTER {} Expires 0 Call-ID {}: {}",
          spec.accountName(),
          callId,
          SipLog.status(response));
      finishUnregister();
      return;
    }
    grantedExpires = granted(response, expires);
    bound =
        new BindingRecord(
            spec.aor().toString(),
            contactSent,
            spec.outboundProxy() == null ? "" : spec.outboundProxy().toString(),
            ctx.config.transport());
    failures = 0;
    move(RegistrationState.REGISTERED);
    log.info(
        "REGISTER {} Call-ID {}: {} (expires {} s)",
        spec.accountName(),
        callId,
        SipLog.status(response),
        grantedExpires);
    next = ctx.executor.schedule(refreshDelay(), this::refresh);
    account.listener().registered(account, grantedExpires);
  }

  private void refresh() {
    if (state == RegistrationState.REGISTERED) {
      move(RegistrationState.REFRESHING);
    } else if (state == RegistrationState.RETRY_WAIT) {
      move(RegistrationState.RECOVERING);
    } else {
      return;
    }
    attempt(requestedExpires);
  }

  private void failAttempt(SipFailure failure) {
    deadline.cancel();
    switch (state) {
      case UNREGISTERING -> {
        log.warn(
            "REGISTER {} Expires 0 Call-ID {}: {}; the binding expires by itself",
            spec.accountName(),
            callId,
            failure.describe());
        finishUnregister();
      }
      case REGISTERING -> {
        log.warn("REGISTER {} Call-ID {}: {}", spec.accountName(), callId, failure.describe());
        bound = null;
        move(RegistrationState.FAILED);
        // Forget the account before telling: the listener may register it again at once.
        onTerminal.run();
        account.listener().registrationFailed(account, failure);
      }
      case REFRESHING, RECOVERING -> {
        Duration retry = retryDelay();
        log.warn(
            "REGISTER {} Call-ID {}: {}; retrying in {}",
            spec.accountName(),
            callId,
            failure.describe(),
            Durations.text(retry));
        boolean report = state == RegistrationState.REFRESHING;
        move(RegistrationState.RETRY_WAIT);
        next = ctx.executor.schedule(retry, this::refresh);
        if (report) {
          account.listener().registrationFailed(account, failure);
        }
      }
      default ->
          log.debug(
              "REGISTER {}: {} ignored in state {}", spec.accountName(), failure.describe(), state);
    }
  }

  private void finishUnregister() {
    bound = null;
    deadline.cancel();
    next.cancel();
    move(RegistrationState.UNREGISTERED);
    onTerminal.run();
    account.listener().unregistered(account);
  }

  private void abandonCurrent() {
    ClientTransaction tx = current;
    current = null;
    if (tx != null) {
      try {
        tx.terminate();
      } catch (ObjectInUseException e) {
        log.debug("could not terminate {}", SipLog.request(tx.getRequest()), e);
      }
    }
  }

  private void move(RegistrationState target) {
    state = state.moveTo(target);
    if (state.isTerminal()) {
      ctx.stack.router().unpin(callId);
    }
  }

  /**
   * What the registrar granted: our Contact's expires parameter, else the Expires header, else what
   * we asked for (RFC 3261 §10.2.4).
   */
  private int granted(Response response, int asked) {
    ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
    while (contacts.hasNext()) {
      ContactHeader c = (ContactHeader) contacts.next();
      if (isOurs(c) && c.getExpires() >= 0) {
        return c.getExpires();
      }
    }
    ExpiresHeader expires = response.getExpires();
    if (expires != null && expires.getExpires() > 0) {
      return expires.getExpires();
    }
    return asked;
  }

  private boolean isOurs(ContactHeader c) {
    if (!(c.getAddress().getURI() instanceof SipURI uri)) {
      return false;
    }
    return account.contactUser().equals(uri.getUser())
        && uri.getPort() == ctx.stack.port(ctx.config.transport());
  }

  /** At a random point between 50 % and 90 % of the granted time (RegistrationTiming). */
  private Duration refreshDelay() {
    return RegistrationTiming.refreshDelay(grantedExpires, ctx.random);
  }

  /** Backs off exponentially with jitter over consecutive failures (RegistrationTiming). */
  private Duration retryDelay() {
    return RegistrationTiming.retryDelay(++failures, ctx.random);
  }
}
