package org.sipline.core.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What every backend is configured with. Built once (by the server from flags, by tests directly);
 * values are checked here so a backend can trust them.
 *
 * @param bindAddress the local address the SIP and RTP sockets bind to
 * @param sipPort the SIP port; 0 means any free port
 * @param transport the SIP transport
 * @param advertisedAddress the address put in Via, Contact and SDP; null means the bind address
 *     when it is specific, otherwise the address of the interface that routes to the peer
 * @param rtpPortMin lowest RTP port (even), 0 with {@code rtpPortMax} 0 for any free port
 * @param rtpPortMax highest RTP port
 * @param registerTimeout how long a REGISTER may go unanswered before it fails
 * @param transactionTimeout the bound on any other client transaction (INVITE until final response,
 *     BYE, CANCEL, REFER)
 * @param transferTimeout how long to wait for the NOTIFY that ends a transfer
 * @param mediaTimeout how long a connected call may receive no RTP before it is ended; zero
 *     disables the check
 * @param sessionExpires the session interval asked for in Session-Expires (RFC 4028) of our INVITEs
 *     and offered in 2xx; zero asks for no session timer (one a far end asks for is still
 *     honoured). {@link #MIN_SESSION_EXPIRES} is the least RFC 4028 allows on the wire; shorter
 *     values (tests) lower our Min-SE with them
 * @param srtp whether call audio is offered, answered and required as SRTP; {@link SrtpMode#OFF}
 *     when null
 * @param recordingsDir where received audio of each call is written as WAV, or null for none
 * @param userAgent the User-Agent / Server header value
 * @param options backend-specific settings (e.g. TLS key store), name → value
 * @param observer told of the backend's pacing and refused strangers (metrics); {@link
 *     BackendObserver#NONE} when null
 */
public record BackendConfig(
    String bindAddress,
    int sipPort,
    Transport transport,
    String advertisedAddress,
    int rtpPortMin,
    int rtpPortMax,
    Duration registerTimeout,
    Duration transactionTimeout,
    Duration transferTimeout,
    Duration mediaTimeout,
    Duration sessionExpires,
    SrtpMode srtp,
    Path recordingsDir,
    String userAgent,
    Map<String, String> options,
    BackendObserver observer) {

  /** RFC 4028 §5: a Min-SE below 90 seconds is not allowed; it is ours unless set lower. */
  public static final Duration MIN_SESSION_EXPIRES = Duration.ofSeconds(90);

  /** RFC 4028's default session interval, which we also ask for by default. */
  public static final Duration DEFAULT_SESSION_EXPIRES = Duration.ofMinutes(30);

  /**
   * Checks every value; an out-of-range one is refused with an exception naming it.
   *
   * @param bindAddress the local address the SIP and RTP sockets bind to
   * @param sipPort the SIP port; 0 means any free port
   * @param transport the SIP transport
   * @param advertisedAddress the address put in Via, Contact and SDP; null means the bind address
   *     when it is specific, otherwise the address of the interface that routes to the peer
   * @param rtpPortMin lowest RTP port (even), 0 with {@code rtpPortMax} 0 for any free port
   * @param rtpPortMax highest RTP port
   * @param registerTimeout how long a REGISTER may go unanswered before it fails
   * @param transactionTimeout the bound on any other client transaction (INVITE until final
   *     response, BYE, CANCEL, REFER)
   * @param transferTimeout how long to wait for the NOTIFY that ends a transfer
   * @param mediaTimeout how long a connected call may receive no RTP before it is ended; zero
   *     disables the check
   * @param sessionExpires the session interval asked for in Session-Expires (RFC 4028) of our
   *     INVITEs and offered in 2xx; zero asks for no session timer (one a far end asks for is still
   *     honoured). {@link #MIN_SESSION_EXPIRES} is the least RFC 4028 allows on the wire; shorter
   *     values (tests) lower our Min-SE with them
   * @param srtp whether call audio is offered, answered and required as SRTP; {@link SrtpMode#OFF}
   *     when null
   * @param recordingsDir where received audio of each call is written as WAV, or null for none
   * @param userAgent the User-Agent / Server header value
   * @param options backend-specific settings (e.g. TLS key store), name → value
   * @param observer told of the backend's pacing and refused strangers (metrics); {@link
   *     BackendObserver#NONE} when null
   */
  public BackendConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(transport, "transport");
    if (sipPort < 0 || sipPort > 65535) {
      throw new IllegalArgumentException("sipPort out of range 0..65535: " + sipPort);
    }
    if (rtpPortMin < 0 || rtpPortMax > 65535 || rtpPortMin > rtpPortMax) {
      throw new IllegalArgumentException(
          "RTP port range invalid: " + rtpPortMin + "-" + rtpPortMax);
    }
    requirePositive(registerTimeout, "registerTimeout");
    requirePositive(transactionTimeout, "transactionTimeout");
    requirePositive(transferTimeout, "transferTimeout");
    Objects.requireNonNull(mediaTimeout, "mediaTimeout");
    if (mediaTimeout.isNegative()) {
      throw new IllegalArgumentException("mediaTimeout < 0: " + mediaTimeout);
    }
    Objects.requireNonNull(sessionExpires, "sessionExpires");
    if (sessionExpires.isNegative()
        || sessionExpires.getNano() != 0
        || sessionExpires.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "sessionExpires must be whole seconds, 0 or more: " + sessionExpires);
    }
    srtp = srtp == null ? SrtpMode.OFF : srtp;
    userAgent = userAgent == null ? "sipline" : userAgent;
    options = options == null ? Map.of() : Map.copyOf(options);
    observer = observer == null ? BackendObserver.NONE : observer;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " <= 0: " + d);
    }
  }

  /**
   * Loopback, any free SIP and RTP port, bounds suited to tests and to a single host.
   *
   * @return a builder of that configuration
   */
  public static Builder loopback() {
    return new Builder();
  }

  /**
   * A builder holding this configuration's values, to change a few of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder()
        .bindAddress(bindAddress)
        .sipPort(sipPort)
        .transport(transport)
        .advertisedAddress(advertisedAddress)
        .rtpPorts(rtpPortMin, rtpPortMax)
        .registerTimeout(registerTimeout)
        .transactionTimeout(transactionTimeout)
        .transferTimeout(transferTimeout)
        .mediaTimeout(mediaTimeout)
        .sessionExpires(sessionExpires)
        .srtp(srtp)
        .recordingsDir(recordingsDir)
        .userAgent(userAgent)
        .options(options)
        .observer(observer);
  }

  /**
   * Defaults: 127.0.0.1, any port, UDP, REGISTER bound 10 s, transactions 32 s, transfer 30 s,
   * session timers of 1800 s.
   */
  public static final class Builder {
    private String bindAddress = "127.0.0.1";
    private int sipPort = 0;
    private Transport transport = Transport.UDP;
    private String advertisedAddress;
    private int rtpPortMin = 0;
    private int rtpPortMax = 0;
    private Duration registerTimeout = Duration.ofSeconds(10);
    private Duration transactionTimeout = Duration.ofSeconds(32);
    private Duration transferTimeout = Duration.ofSeconds(30);
    private Duration mediaTimeout = Duration.ZERO;
    private Duration sessionExpires = DEFAULT_SESSION_EXPIRES;
    private SrtpMode srtp = SrtpMode.OFF;
    private Path recordingsDir;
    private String userAgent = "sipline";
    private Map<String, String> options = Map.of();
    private BackendObserver observer = BackendObserver.NONE;

    /**
     * Sets the local address the SIP and RTP sockets bind to.
     *
     * @param v a numeric address
     * @return this builder
     */
    public Builder bindAddress(String v) {
      bindAddress = v;
      return this;
    }

    /**
     * Sets the SIP port.
     *
     * @param v the port; 0 for any free port
     * @return this builder
     */
    public Builder sipPort(int v) {
      sipPort = v;
      return this;
    }

    /**
     * Sets the SIP transport.
     *
     * @param v the transport
     * @return this builder
     */
    public Builder transport(Transport v) {
      transport = v;
      return this;
    }

    /**
     * Sets the address put in Via, Contact and SDP.
     *
     * @param v an address, or null for the bind address or the routing interface's
     * @return this builder
     */
    public Builder advertisedAddress(String v) {
      advertisedAddress = v;
      return this;
    }

    /**
     * Sets the range of RTP ports.
     *
     * @param min the lowest port (even), or 0 with {@code max} 0 for any free port
     * @param max the highest port
     * @return this builder
     */
    public Builder rtpPorts(int min, int max) {
      rtpPortMin = min;
      rtpPortMax = max;
      return this;
    }

    /**
     * Sets how long a REGISTER may go unanswered before it fails.
     *
     * @param v the bound
     * @return this builder
     */
    public Builder registerTimeout(Duration v) {
      registerTimeout = v;
      return this;
    }

    /**
     * Sets the bound on client transactions other than REGISTER.
     *
     * @param v the bound
     * @return this builder
     */
    public Builder transactionTimeout(Duration v) {
      transactionTimeout = v;
      return this;
    }

    /**
     * Sets how long to wait for the NOTIFY that ends a transfer.
     *
     * @param v the bound
     * @return this builder
     */
    public Builder transferTimeout(Duration v) {
      transferTimeout = v;
      return this;
    }

    /**
     * Sets how long a connected call may receive no RTP before it is ended.
     *
     * @param v the bound; zero disables the check
     * @return this builder
     */
    public Builder mediaTimeout(Duration v) {
      mediaTimeout = v;
      return this;
    }

    /**
     * Sets the session interval (RFC 4028) asked for.
     *
     * @param v the interval; zero asks for no session timer
     * @return this builder
     */
    public Builder sessionExpires(Duration v) {
      sessionExpires = v;
      return this;
    }

    /**
     * Sets whether call audio is offered, answered and required as SRTP.
     *
     * @param v the mode; null means {@link SrtpMode#OFF}
     * @return this builder
     */
    public Builder srtp(SrtpMode v) {
      srtp = v;
      return this;
    }

    /**
     * Sets where each call's received audio is written as WAV.
     *
     * @param v a directory, or null to record nothing
     * @return this builder
     */
    public Builder recordingsDir(Path v) {
      recordingsDir = v;
      return this;
    }

    /**
     * Sets the User-Agent and Server header value.
     *
     * @param v the value
     * @return this builder
     */
    public Builder userAgent(String v) {
      userAgent = v;
      return this;
    }

    /**
     * Sets the backend-specific options, checked against the options the backend declares.
     *
     * @param v option name to value
     * @return this builder
     */
    public Builder options(Map<String, String> v) {
      options = v;
      return this;
    }

    /**
     * Sets who is told of pacing and refused strangers.
     *
     * @param v the observer, or null for none
     * @return this builder
     */
    public Builder observer(BackendObserver v) {
      observer = v;
      return this;
    }

    /**
     * Checks the values and builds the configuration.
     *
     * @return the configuration
     */
    public BackendConfig build() {
      return new BackendConfig(
          bindAddress,
          sipPort,
          transport,
          advertisedAddress,
          rtpPortMin,
          rtpPortMax,
          registerTimeout,
          transactionTimeout,
          transferTimeout,
          mediaTimeout,
          sessionExpires,
          srtp,
          recordingsDir,
          userAgent,
          options,
          observer);
    }
  }
}
