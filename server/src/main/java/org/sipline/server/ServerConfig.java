package org.sipline.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sipline.core.Switchboard;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SrtpMode;
import org.sipline.core.spi.Transport;

/**
 * Everything a sipline server is started with, checked once. A value that cannot work is refused
 * here with an {@link InvalidConfigException} naming its command-line flag, so a bad configuration
 * stops the start instead of failing later on the first call.
 *
 * @param grpcAddress address the gRPC server binds to
 * @param grpcPort gRPC port; 0 means any free port
 * @param reflection whether gRPC server reflection is offered
 * @param tlsCert PEM certificate chain for gRPC TLS, or null for plaintext
 * @param tlsKey PEM PKCS#8 private key of {@code tlsCert}
 * @param tlsClientCa PEM CA certificates a client certificate must chain to (mTLS), or null
 * @param tokenFile file of accepted bearer tokens, one per line, or null for no token check
 * @param jwt how JWT bearer tokens are checked, or null to accept none
 * @param maxWavBytes the largest total of WAV bytes one SipPlayWavFiles request may carry
 * @param sipAddress address the SIP and RTP sockets bind to
 * @param sipPort SIP port; 0 means any free port
 * @param sipTransport SIP transport
 * @param advertisedAddress address put in Via, Contact and SDP, or null to derive it
 * @param rtpPortMin lowest RTP port (even); 0 together with {@code rtpPortMax} 0 means any
 * @param rtpPortMax highest RTP port
 * @param backend backend name, or null for the highest-priority available one
 * @param backendOptions backend-specific settings, passed through unchanged
 * @param historyLimit how many statuses the line keeps
 * @param journal file the status history is journaled to, or null
 * @param recordingsDir directory received call audio is written to as WAV, or null
 * @param registerTimeout bound on an unanswered REGISTER
 * @param transactionTimeout bound on any other SIP client transaction
 * @param transferTimeout bound on waiting for the NOTIFY that ends a transfer
 * @param mediaTimeout a connected call without incoming RTP this long is ended; zero disables
 * @param sessionExpires the RFC 4028 session interval asked for; zero asks for none, otherwise at
 *     least 90 s (whole seconds)
 * @param srtp whether call audio is offered, answered and required as SRTP (RFC 3711, SDES keys)
 * @param hangupTimeout bound on hanging up and un-registering when the server stops
 * @param nluSessionTemplate template of each call's nlu_session_name, or null for the default
 * @param logLevel log level of sipline's own loggers
 * @param logFormat log line format
 * @param lines the lines served, the default line first; by default one, {@code line-0}
 * @param linePortBase 0, or the gRPC port of the first line: line i also listens on base + i
 * @param drainTimeout on SIGTERM or the Drain rpc, how long ongoing calls may go on before BYE
 * @param registerRate first REGISTERs per second across every line of the process
 * @param callRecords the file each call's record is appended to as a JSON line, or null
 * @param callRecordsKeep how many call records are kept in memory for ListCallRecords
 * @param metricsAddress address the Prometheus metrics endpoint binds to
 * @param metricsPort the metrics endpoint's port (0: any free one), or null for no metrics
 */
public record ServerConfig(
    String grpcAddress,
    int grpcPort,
    boolean reflection,
    Path tlsCert,
    Path tlsKey,
    Path tlsClientCa,
    Path tokenFile,
    JwtSettings jwt,
    long maxWavBytes,
    String sipAddress,
    int sipPort,
    Transport sipTransport,
    String advertisedAddress,
    int rtpPortMin,
    int rtpPortMax,
    String backend,
    Map<String, String> backendOptions,
    int historyLimit,
    Path journal,
    Path recordingsDir,
    Duration registerTimeout,
    Duration transactionTimeout,
    Duration transferTimeout,
    Duration mediaTimeout,
    Duration sessionExpires,
    SrtpMode srtp,
    Duration hangupTimeout,
    String nluSessionTemplate,
    LogLevel logLevel,
    LogFormat logFormat,
    List<LineSpec> lines,
    int linePortBase,
    Duration drainTimeout,
    double registerRate,
    Path callRecords,
    int callRecordsKeep,
    String metricsAddress,
    Integer metricsPort) {

  /** First REGISTERs per second beyond which pacing protects no registrar. */
  static final double MAX_REGISTER_RATE = 10_000;

  /** A million records of about 1 kB each: a gigabyte of heap is the most we let it take. */
  static final int MAX_CALL_RECORDS_KEEP = 1_000_000;

  /** 32 MiB: a minute of 16-bit stereo 44.1 kHz audio is about 10 MiB. */
  public static final long DEFAULT_MAX_WAV_BYTES = 32L * 1024 * 1024;

  /** gRPC takes an int, and the request also carries field tags and lengths. */
  static final long MAX_WAV_BYTES_LIMIT = Integer.MAX_VALUE - 1024L * 1024;

  public ServerConfig {
    grpcAddress = requireText(grpcAddress, "--grpc-address");
    requirePort(grpcPort, "--grpc-port");
    requireTlsPair(tlsCert, tlsKey, tlsClientCa);
    requireReadableFile(tokenFile, "--token-file");
    if (maxWavBytes < 1 || maxWavBytes > MAX_WAV_BYTES_LIMIT) {
      throw new InvalidConfigException(
          "--max-wav-bytes", maxWavBytes + " is outside 1.." + MAX_WAV_BYTES_LIMIT);
    }
    sipAddress = requireText(sipAddress, "--sip-address");
    requirePort(sipPort, "--sip-port");
    if (sipTransport == null) {
      throw new InvalidConfigException("--sip-transport", "missing");
    }
    advertisedAddress = blankToNull(advertisedAddress);
    requireRtpRange(rtpPortMin, rtpPortMax);
    backend = blankToNull(backend);
    backendOptions = backendOptions == null ? Map.of() : Map.copyOf(backendOptions);
    if (historyLimit < 1) {
      throw new InvalidConfigException("--history-limit", historyLimit + " < 1");
    }
    if (journal != null && Files.isDirectory(journal)) {
      throw new InvalidConfigException("--journal", journal + " is a directory, not a file");
    }
    if (recordingsDir != null && Files.exists(recordingsDir) && !Files.isDirectory(recordingsDir)) {
      throw new InvalidConfigException("--recordings-dir", recordingsDir + " is not a directory");
    }
    requirePositive(registerTimeout, "--register-timeout");
    requirePositive(transactionTimeout, "--transaction-timeout");
    requirePositive(transferTimeout, "--transfer-timeout");
    if (mediaTimeout == null || mediaTimeout.isNegative()) {
      throw new InvalidConfigException("--media-timeout", mediaTimeout + " < 0");
    }
    requireSessionExpires(sessionExpires);
    if (srtp == null) {
      throw new InvalidConfigException("--srtp", "missing");
    }
    requirePositive(hangupTimeout, "--hangup-timeout");
    nluSessionTemplate = blankToNull(nluSessionTemplate);
    if (logLevel == null) {
      throw new InvalidConfigException("--log-level", "missing");
    }
    if (logFormat == null) {
      throw new InvalidConfigException("--log-format", "missing");
    }
    lines = lines == null || lines.isEmpty() ? LineSpec.single() : List.copyOf(lines);
    requireDistinctNames(lines);
    requireLinePorts(linePortBase, lines, grpcPort);
    if (drainTimeout == null || drainTimeout.isNegative()) {
      throw new InvalidConfigException("--drain-timeout", drainTimeout + " < 0");
    }
    if (!(registerRate > 0) || registerRate > MAX_REGISTER_RATE) {
      throw new InvalidConfigException(
          "--register-rate",
          registerRate + " is not a rate above 0 and at most " + MAX_REGISTER_RATE);
    }
    if (callRecords != null && Files.isDirectory(callRecords)) {
      throw new InvalidConfigException(
          "--call-records", callRecords + " is a directory, not a file");
    }
    if (callRecordsKeep < 0 || callRecordsKeep > MAX_CALL_RECORDS_KEEP) {
      throw new InvalidConfigException(
          "--call-records-keep", callRecordsKeep + " is outside 0.." + MAX_CALL_RECORDS_KEEP);
    }
    metricsAddress = requireText(metricsAddress, "--metrics-address");
    if (metricsPort != null) {
      requirePort(metricsPort, "--metrics-port");
    }
  }

  /** The line a request without a header or line port of its own reaches. */
  public LineSpec defaultLine() {
    return lines.get(0);
  }

  private static void requireDistinctNames(List<LineSpec> lines) {
    if (lines.size() > LineSpec.MAX_LINES) {
      throw new InvalidConfigException(
          "--lines", lines.size() + " lines is more than " + LineSpec.MAX_LINES);
    }
    Set<String> names = new HashSet<>();
    for (LineSpec line : lines) {
      if (!names.add(line.name())) {
        throw new InvalidConfigException(
            "--lines-file", "line '" + line.name() + "': name: defined twice");
      }
    }
  }

  private static void requireLinePorts(int base, List<LineSpec> lines, int grpcPort) {
    if (base == 0) {
      return;
    }
    int last = base + lines.size() - 1;
    String range = base + "-" + last;
    if (base < 1 || last > 65535) {
      throw new InvalidConfigException(
          "--line-ports",
          range + " (one port for each of " + lines.size() + " lines) is outside 1-65535");
    }
    if (grpcPort >= base && grpcPort <= last) {
      throw new InvalidConfigException(
          "--line-ports",
          range
              + " collides with --grpc-port "
              + grpcPort
              + " at line '"
              + lines.get(grpcPort - base).name()
              + "'");
    }
  }

  /** Whether a call needs a bearer token (static or JWT). */
  public boolean tokensRequired() {
    return tokenFile != null || jwt != null;
  }

  /** Whether gRPC is served over TLS. */
  public boolean tls() {
    return tlsCert != null;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static String requireText(String value, String flag) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigException(flag, "empty");
    }
    return value.strip();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static void requirePort(int port, String flag) {
    if (port < 0 || port > 65535) {
      throw new InvalidConfigException(flag, port + " is outside 0..65535");
    }
  }

  /** 0 (no timer asked for) or whole seconds of at least RFC 4028's 90. */
  private static void requireSessionExpires(Duration d) {
    if (d == null) {
      throw new InvalidConfigException("--session-expires", "missing");
    }
    if (d.isZero()) {
      return;
    }
    if (d.compareTo(BackendConfig.MIN_SESSION_EXPIRES) < 0
        || d.getNano() != 0
        || d.getSeconds() > Integer.MAX_VALUE) {
      throw new InvalidConfigException(
          "--session-expires",
          d
              + " is neither 0 nor whole seconds of at least "
              + BackendConfig.MIN_SESSION_EXPIRES.toSeconds()
              + "s (RFC 4028's least Min-SE)");
    }
  }

  private static void requirePositive(Duration d, String flag) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new InvalidConfigException(flag, d + " is not positive");
    }
  }

  private static void requireReadableFile(Path file, String flag) {
    if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
      throw new InvalidConfigException(flag, file + " is not a readable file");
    }
  }

  private static void requireTlsPair(Path cert, Path key, Path clientCa) {
    if ((cert == null) != (key == null)) {
      throw new InvalidConfigException(
          cert == null ? "--tls-cert" : "--tls-key",
          "--tls-cert and --tls-key go together; only one is set");
    }
    if (clientCa != null && cert == null) {
      throw new InvalidConfigException("--tls-client-ca", "needs --tls-cert and --tls-key");
    }
    requireReadableFile(cert, "--tls-cert");
    requireReadableFile(key, "--tls-key");
    requireReadableFile(clientCa, "--tls-client-ca");
  }

  private static void requireRtpRange(int min, int max) {
    if (min == 0 && max == 0) {
      return;
    }
    String range = min + "-" + max;
    if (min < 1024 || max > 65535) {
      throw new InvalidConfigException("--rtp-ports", range + " is outside 1024-65535");
    }
    if (min % 2 != 0) {
      throw new InvalidConfigException(
          "--rtp-ports", range + " starts at an odd port; RTP takes even ports");
    }
    if (max < min + 1) {
      throw new InvalidConfigException("--rtp-ports", range + " holds no RTP/RTCP port pair");
    }
  }

  /** Starts from the documented defaults (the same as {@code sipline --help} shows). */
  public static final class Builder {
    private String grpcAddress = "0.0.0.0";
    private int grpcPort = 50099;
    private boolean reflection = true;
    private Path tlsCert;
    private Path tlsKey;
    private Path tlsClientCa;
    private Path tokenFile;
    private JwtSettings jwt;
    private long maxWavBytes = DEFAULT_MAX_WAV_BYTES;
    private String sipAddress = "0.0.0.0";
    private int sipPort = 5060;
    private Transport sipTransport = Transport.UDP;
    private String advertisedAddress;
    private int rtpPortMin;
    private int rtpPortMax;
    private String backend;
    private Map<String, String> backendOptions = Map.of();
    private int historyLimit = 10_000;
    private Path journal;
    private Path recordingsDir;
    private Duration registerTimeout = Duration.ofSeconds(10);
    private Duration transactionTimeout = Duration.ofSeconds(32);
    private Duration transferTimeout = Duration.ofSeconds(30);
    private Duration mediaTimeout = Duration.ZERO;
    private Duration sessionExpires = BackendConfig.DEFAULT_SESSION_EXPIRES;
    private SrtpMode srtp = SrtpMode.OFF;
    private Duration hangupTimeout = Duration.ofSeconds(3);
    private String nluSessionTemplate;
    private LogLevel logLevel = LogLevel.INFO;
    private LogFormat logFormat = LogFormat.TEXT;
    private List<LineSpec> lines = LineSpec.single();
    private Path callRecords;
    private int callRecordsKeep = 1000;
    private int linePortBase;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private double registerRate = Switchboard.DEFAULT_REGISTER_RATE;
    private String metricsAddress = "0.0.0.0";
    private Integer metricsPort;

    private Builder() {}

    public Builder metricsAddress(String v) {
      metricsAddress = v;
      return this;
    }

    public Builder metricsPort(Integer v) {
      metricsPort = v;
      return this;
    }

    public Builder grpcAddress(String v) {
      grpcAddress = v;
      return this;
    }

    public Builder grpcPort(int v) {
      grpcPort = v;
      return this;
    }

    public Builder reflection(boolean v) {
      reflection = v;
      return this;
    }

    public Builder tls(Path cert, Path key) {
      tlsCert = cert;
      tlsKey = key;
      return this;
    }

    public Builder tlsClientCa(Path v) {
      tlsClientCa = v;
      return this;
    }

    public Builder tokenFile(Path v) {
      tokenFile = v;
      return this;
    }

    public Builder jwt(JwtSettings v) {
      jwt = v;
      return this;
    }

    public Builder maxWavBytes(long v) {
      maxWavBytes = v;
      return this;
    }

    public Builder sipAddress(String v) {
      sipAddress = v;
      return this;
    }

    public Builder sipPort(int v) {
      sipPort = v;
      return this;
    }

    public Builder sipTransport(Transport v) {
      sipTransport = v;
      return this;
    }

    public Builder advertisedAddress(String v) {
      advertisedAddress = v;
      return this;
    }

    public Builder rtpPorts(int min, int max) {
      rtpPortMin = min;
      rtpPortMax = max;
      return this;
    }

    public Builder backend(String v) {
      backend = v;
      return this;
    }

    public Builder backendOptions(Map<String, String> v) {
      backendOptions = v;
      return this;
    }

    public Builder historyLimit(int v) {
      historyLimit = v;
      return this;
    }

    public Builder journal(Path v) {
      journal = v;
      return this;
    }

    public Builder recordingsDir(Path v) {
      recordingsDir = v;
      return this;
    }

    public Builder registerTimeout(Duration v) {
      registerTimeout = v;
      return this;
    }

    public Builder transactionTimeout(Duration v) {
      transactionTimeout = v;
      return this;
    }

    public Builder transferTimeout(Duration v) {
      transferTimeout = v;
      return this;
    }

    public Builder mediaTimeout(Duration v) {
      mediaTimeout = v;
      return this;
    }

    public Builder sessionExpires(Duration v) {
      sessionExpires = v;
      return this;
    }

    public Builder srtp(SrtpMode v) {
      srtp = v;
      return this;
    }

    public Builder hangupTimeout(Duration v) {
      hangupTimeout = v;
      return this;
    }

    public Builder nluSessionTemplate(String v) {
      nluSessionTemplate = v;
      return this;
    }

    public Builder logLevel(LogLevel v) {
      logLevel = v;
      return this;
    }

    public Builder logFormat(LogFormat v) {
      logFormat = v;
      return this;
    }

    public Builder lines(List<LineSpec> v) {
      lines = v;
      return this;
    }

    public Builder linePortBase(int v) {
      linePortBase = v;
      return this;
    }

    public Builder drainTimeout(Duration v) {
      drainTimeout = v;
      return this;
    }

    public Builder registerRate(double v) {
      registerRate = v;
      return this;
    }

    public Builder callRecords(Path v) {
      callRecords = v;
      return this;
    }

    public Builder callRecordsKeep(int v) {
      callRecordsKeep = v;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          grpcAddress,
          grpcPort,
          reflection,
          tlsCert,
          tlsKey,
          tlsClientCa,
          tokenFile,
          jwt,
          maxWavBytes,
          sipAddress,
          sipPort,
          sipTransport,
          advertisedAddress,
          rtpPortMin,
          rtpPortMax,
          backend,
          backendOptions,
          historyLimit,
          journal,
          recordingsDir,
          registerTimeout,
          transactionTimeout,
          transferTimeout,
          mediaTimeout,
          sessionExpires,
          srtp,
          hangupTimeout,
          nluSessionTemplate,
          logLevel,
          logFormat,
          lines,
          linePortBase,
          drainTimeout,
          registerRate,
          callRecords,
          callRecordsKeep,
          metricsAddress,
          metricsPort);
    }
  }
}
