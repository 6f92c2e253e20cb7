package org.sipline.testing.peers;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.sipline.core.spi.Transport;

/**
 * How a {@link Sipp} run is set up. Immutable; each {@code with…} returns a copy.
 *
 * <p>Defaults: one call ({@code -m 1}), UDP, SIP and media ports picked by {@link FreePorts}, no
 * hold ({@code -d 0}), the whole run bounded by 30 s ({@code -timeout 30s -timeout_error}), and the
 * keys the stock scenarios read: {@code caller=sipp}, {@code expires=3600}, {@code
 * contact_port=<SIPp's own port>}.
 */
public final class SippOptions {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private final int port;
  private final int mediaPort;
  private final int calls;
  private final Transport transport;
  private final String service;
  private final String authUser;
  private final String authPassword;
  private final long holdMillis;
  private final Duration timeout;
  private final Duration recvTimeout;
  private final Map<String, String> keys;
  private final Map<String, String> variables;

  private SippOptions(
      int port,
      int mediaPort,
      int calls,
      Transport transport,
      String service,
      String authUser,
      String authPassword,
      long holdMillis,
      Duration timeout,
      Duration recvTimeout,
      Map<String, String> keys,
      Map<String, String> variables) {
    this.port = port;
    this.mediaPort = mediaPort;
    this.calls = calls;
    this.transport = transport;
    this.service = service;
    this.authUser = authUser;
    this.authPassword = authPassword;
    this.holdMillis = holdMillis;
    this.timeout = timeout;
    this.recvTimeout = recvTimeout;
    this.keys = keys;
    this.variables = variables;
  }

  public static SippOptions defaults() {
    return new SippOptions(
        0,
        0,
        1,
        Transport.UDP,
        null,
        null,
        null,
        0,
        Duration.ofSeconds(30),
        null,
        Map.of(),
        Map.of());
  }

  /** The local SIP port ({@code -p}); 0 picks one. */
  public SippOptions withPort(int port) {
    checkPort("port", port);
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /**
   * The local media port ({@code -mp}, {@code [media_port]} in SDP); 0 picks one. SIPp binds it and
   * the port two above (its video socket), so RTP sent there is absorbed, not refused.
   */
  public SippOptions withMediaPort(int mediaPort) {
    checkPort("mediaPort", mediaPort);
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /** How many calls to make or take before SIPp exits ({@code -m}). */
  public SippOptions withCalls(int calls) {
    if (calls < 1) {
      throw new IllegalArgumentException("calls < 1: " + calls);
    }
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /** UDP (default) or TCP. */
  public SippOptions withTransport(Transport transport) {
    Objects.requireNonNull(transport, "transport");
    if (transport == Transport.TLS) {
      throw new IllegalArgumentException("transport TLS is not set up for SIPp peers");
    }
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /** The {@code [service]} keyword ({@code -s}): the user part a UAC calls. */
  public SippOptions withService(String service) {
    checkValue("service", service);
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /** Digest credentials ({@code -au}, {@code -ap}) for scenarios using {@code [authentication]}. */
  public SippOptions withAuth(String user, String password) {
    checkValue("auth user", user);
    checkValue("auth password", password);
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        user,
        password,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /** The length of every {@code <pause/>} without attributes ({@code -d}, milliseconds). */
  public SippOptions withHoldMillis(long holdMillis) {
    if (holdMillis < 0) {
      throw new IllegalArgumentException("holdMillis < 0: " + holdMillis);
    }
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /**
   * The bound on the whole run ({@code -timeout}, whole seconds, at least 1); reaching it counts as
   * a failure ({@code -timeout_error}).
   */
  public SippOptions withTimeout(Duration timeout) {
    if (timeout.toSeconds() < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 s: " + timeout);
    }
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /** How long any {@code <recv>} may wait before the call fails ({@code -recv_timeout}). */
  public SippOptions withRecvTimeout(Duration recvTimeout) {
    if (recvTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("recvTimeout must be at least 1 ms: " + recvTimeout);
    }
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        variables);
  }

  /** A keyword the scenario reads as {@code [name]} ({@code -key name value}). */
  public SippOptions withKey(String name, String value) {
    checkName("key", name);
    checkValue("key " + name, value);
    Map<String, String> copy = new LinkedHashMap<>(keys);
    copy.put(name, value);
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        Collections.unmodifiableMap(copy),
        variables);
  }

  /**
   * A scenario variable's initial value ({@code -set name value}). SIPp sets only variables the
   * scenario declares global ({@code <Global variables="name"/>}) and refuses to start when it
   * mentions a variable fewer than two times ("Variable $name is referenced 1 times").
   */
  public SippOptions withVariable(String name, String value) {
    checkName("variable", name);
    checkValue("variable " + name, value);
    Map<String, String> copy = new LinkedHashMap<>(variables);
    copy.put(name, value);
    return new SippOptions(
        port,
        mediaPort,
        calls,
        transport,
        service,
        authUser,
        authPassword,
        holdMillis,
        timeout,
        recvTimeout,
        keys,
        Collections.unmodifiableMap(copy));
  }

  public int port() {
    return port;
  }

  public int mediaPort() {
    return mediaPort;
  }

  public int calls() {
    return calls;
  }

  public Transport transport() {
    return transport;
  }

  /** The {@code -s} value, or null for SIPp's default. */
  public String service() {
    return service;
  }

  public String authUser() {
    return authUser;
  }

  public String authPassword() {
    return authPassword;
  }

  public long holdMillis() {
    return holdMillis;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Null when not set. */
  public Duration recvTimeout() {
    return recvTimeout;
  }

  /** The keys set with {@link #withKey}, without the defaults. */
  public Map<String, String> keys() {
    return keys;
  }

  public Map<String, String> variables() {
    return variables;
  }

  private static void checkPort(String what, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " out of range 0-65535: " + port);
    }
  }

  private static void checkName(String what, String name) {
    Objects.requireNonNull(name, what + " name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name must match " + NAME + ": " + name);
    }
  }

  /** Values end up inside SIP messages: a CR or LF would split a header. */
  private static void checkValue(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(what + " contains CR or LF: " + value.strip());
    }
  }
}
