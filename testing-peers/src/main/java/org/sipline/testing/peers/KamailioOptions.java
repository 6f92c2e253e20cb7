package org.sipline.testing.peers;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link Kamailio} registrar/proxy is set up. Immutable; each {@code with…} returns a copy.
 *
 * <pre>{@code
 * KamailioOptions.defaults().withUser("alice", "secret").withUser("bob", "s3cret")
 * }</pre>
 *
 * <p>Defaults: domain (and digest realm) {@code 127.0.0.1}, a port picked by {@link FreePorts},
 * INVITEs from known users challenged with 407, ten seconds to start.
 */
public final class KamailioOptions {
  /** SIP user names we put into the generated config and db_text table unescaped. */
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._~+-]{1,64}");

  /** db_text separates columns with ':' and escapes with '\'; the config quotes with '"'. */
  private static final Pattern PASSWORD = Pattern.compile("[\\x21-\\x7e&&[^:\\\\\"]]{1,64}");

  private static final Pattern DOMAIN =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  /** Shared memory for the tests' few calls; Kamailio's own default (64 MB) is more. */
  private static final int DEFAULT_SHARED_MEMORY_MB = 32;

  private final Map<String, String> users;
  private final String domain;
  private final boolean inviteAuth;
  private final int port;
  private final Duration startTimeout;
  private final TlsIdentity tls;
  private final int sharedMemoryMb;
  private final int udpWorkers;

  private KamailioOptions(
      Map<String, String> users,
      String domain,
      boolean inviteAuth,
      int port,
      Duration startTimeout,
      TlsIdentity tls,
      int sharedMemoryMb,
      int udpWorkers) {
    this.users = users;
    this.domain = domain;
    this.inviteAuth = inviteAuth;
    this.port = port;
    this.startTimeout = startTimeout;
    this.tls = tls;
    this.sharedMemoryMb = sharedMemoryMb;
    this.udpWorkers = udpWorkers;
  }

  public static KamailioOptions defaults() {
    return new KamailioOptions(
        Map.of(), "127.0.0.1", true, 0, Duration.ofSeconds(10), null, DEFAULT_SHARED_MEMORY_MB, 2);
  }

  /**
   * Adds a subscriber that may REGISTER (and place calls) with digest auth.
   *
   * @param user letters, digits and {@code . _ ~ + -}, at most 64
   * @param password printable ASCII without {@code : \ "}, at most 64
   */
  public KamailioOptions withUser(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException("user must be 1-64 of [A-Za-z0-9._~+-]: " + user);
    }
    if (!PASSWORD.matcher(password).matches()) {
      throw new IllegalArgumentException(
          "password of " + user + " must be 1-64 printable ASCII characters without : \\ \"");
    }
    Map<String, String> copy = new LinkedHashMap<>(users);
    copy.put(user, password);
    return new KamailioOptions(
        Collections.unmodifiableMap(copy),
        domain,
        inviteAuth,
        port,
        startTimeout,
        tls,
        sharedMemoryMb,
        udpWorkers);
  }

  /**
   * The SIP domain and digest realm. Requests for it (any port) count as local besides those for
   * 127.0.0.1 on Kamailio's own port.
   */
  public KamailioOptions withDomain(String domain) {
    Objects.requireNonNull(domain, "domain");
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("domain must be a host name or IPv4 address: " + domain);
    }
    return new KamailioOptions(
        users, domain, inviteAuth, port, startTimeout, tls, sharedMemoryMb, udpWorkers);
  }

  /**
   * Whether an INVITE whose From names one of the users gets a 407 challenge (default true).
   * Callers that are not users are never challenged.
   */
  public KamailioOptions withInviteAuth(boolean inviteAuth) {
    return new KamailioOptions(
        users, domain, inviteAuth, port, startTimeout, tls, sharedMemoryMb, udpWorkers);
  }

  /** The UDP+TCP port to listen on; 0 (the default) picks one with {@link FreePorts#sipPort()}. */
  public KamailioOptions withPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range 0-65535: " + port);
    }
    return new KamailioOptions(
        users, domain, inviteAuth, port, startTimeout, tls, sharedMemoryMb, udpWorkers);
  }

  /** How long {@link Kamailio#start} waits for the control socket to answer. */
  public KamailioOptions withStartTimeout(Duration startTimeout) {
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
    }
    return new KamailioOptions(
        users, domain, inviteAuth, port, startTimeout, tls, sharedMemoryMb, udpWorkers);
  }

  /**
   * Listens for SIP over TLS too (Kamailio's {@code tls.so}, Debian's {@code
   * kamailio-tls-modules}), on a port of its own ({@link Kamailio#tlsPort()}), presenting {@code
   * identity}. Kamailio asks clients for no certificate and checks none of the UAs it relays to:
   * the tests are about the client's checks.
   */
  public KamailioOptions withTls(TlsIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    return new KamailioOptions(
        users, domain, inviteAuth, port, startTimeout, identity, sharedMemoryMb, udpWorkers);
  }

  /**
   * Gives Kamailio {@code megabytes} of shared memory (its {@code -m}). Its transactions live
   * there: at 100 calls/s each way the tests' 32 MB ran out and Kamailio answered "500 I'm terribly
   * sorry, server error occurred (1/SL)" to INVITEs and BYEs (the call-rate benchmark).
   *
   * @param megabytes 16 to 4096
   * @return these options with that much shared memory
   */
  public KamailioOptions withSharedMemoryMb(int megabytes) {
    if (megabytes < 16 || megabytes > 4096) {
      throw new IllegalArgumentException("shared memory out of range 16-4096 MB: " + megabytes);
    }
    return new KamailioOptions(
        users, domain, inviteAuth, port, startTimeout, tls, megabytes, udpWorkers);
  }

  /**
   * Gives Kamailio {@code workers} processes reading SIP over UDP (its {@code children}; 2 by
   * default). With one, replies a UDP peer sends back to back (a 180 then a 200) are relayed in the
   * order they came: two workers can each take one and the later can be relayed first.
   *
   * @param workers 1 to 16
   * @return these options with that many UDP workers
   */
  public KamailioOptions withUdpWorkers(int workers) {
    if (workers < 1 || workers > 16) {
      throw new IllegalArgumentException("UDP workers out of range 1-16: " + workers);
    }
    return new KamailioOptions(
        users, domain, inviteAuth, port, startTimeout, tls, sharedMemoryMb, workers);
  }

  /**
   * Kamailio's processes reading SIP over UDP ({@code children}).
   *
   * @return how many
   */
  public int udpWorkers() {
    return udpWorkers;
  }

  /**
   * Kamailio's shared memory in MB ({@code -m}).
   *
   * @return megabytes
   */
  public int sharedMemoryMb() {
    return sharedMemoryMb;
  }

  /** The certificate and key served over TLS, or null when TLS is off (the default). */
  public TlsIdentity tls() {
    return tls;
  }

  /** User name to password, in the order added. */
  public Map<String, String> users() {
    return users;
  }

  public String domain() {
    return domain;
  }

  public boolean inviteAuth() {
    return inviteAuth;
  }

  public int port() {
    return port;
  }

  public Duration startTimeout() {
    return startTimeout;
  }
}
