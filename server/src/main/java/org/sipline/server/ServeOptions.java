package org.sipline.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sipline.core.spi.CodecList;
import org.sipline.core.spi.SrtpMode;
import org.sipline.core.spi.TlsKeyPair;
import org.sipline.core.spi.TlsTrust;
import org.sipline.core.spi.Transport;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The server's flags, each with a {@code SIPLINE_*} environment variable as its default. Only
 * parses; {@link #toConfig()} hands every value to {@link ServerConfig}, which judges them.
 */
final class ServeOptions {

  @Option(
      names = "--grpc-address",
      paramLabel = "ADDR",
      defaultValue = "${env:SIPLINE_GRPC_ADDRESS:-0.0.0.0}",
      description = "Address the gRPC server listens on. Env: SIPLINE_GRPC_ADDRESS.")
  String grpcAddress;

  @Option(
      names = "--grpc-port",
      paramLabel = "PORT",
      defaultValue = "${env:SIPLINE_GRPC_PORT:-50099}",
      description = "gRPC port; 0 picks any free port. Env: SIPLINE_GRPC_PORT.")
  int grpcPort;

  @Option(
      names = "--[no-]reflection",
      negatable = true,
      fallbackValue = "true",
      defaultValue = "${env:SIPLINE_REFLECTION:-true}",
      description =
          "Offer gRPC server reflection (on unless --no-reflection). "
              + "Env: SIPLINE_REFLECTION (true/false).")
  boolean reflection;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      defaultValue = "${env:SIPLINE_TLS_CERT}",
      description =
          "Serve gRPC over TLS with this PEM certificate chain (needs --tls-key). "
              + "Env: SIPLINE_TLS_CERT.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      defaultValue = "${env:SIPLINE_TLS_KEY}",
      description = "PEM PKCS#8 private key of --tls-cert. Env: SIPLINE_TLS_KEY.")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "PEM",
      defaultValue = "${env:SIPLINE_TLS_CLIENT_CA}",
      description =
          "Require client certificates issued by these PEM CA certificates (mutual TLS). "
              + "Env: SIPLINE_TLS_CLIENT_CA.")
  Path tlsClientCa;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      defaultValue = "${env:SIPLINE_TOKEN_FILE}",
      description =
          "Accept only requests with 'authorization: Bearer <token>' for a token in this "
              + "file (one per line, # comments). Health checks stay open. Env: SIPLINE_TOKEN_FILE.")
  Path tokenFile;

  @Option(
      names = "--jwt-jwks",
      paramLabel = "FILE|URL",
      defaultValue = "${env:SIPLINE_JWT_JWKS}",
      description =
          "Also accept JWT bearer tokens signed (RS256/ES256) by a key of this JWKS: a file "
              + "(re-read when it changes) or the OIDC provider's jwks_uri, e.g. Keycloak's "
              + "https://HOST/realms/REALM/protocol/openid-connect/certs (cached, re-fetched on "
              + "expiry or an unknown kid). Needs --jwt-issuer and --jwt-audience. "
              + "Env: SIPLINE_JWT_JWKS.")
  String jwtJwks;

  @Option(
      names = "--jwt-issuer",
      paramLabel = "ISS",
      defaultValue = "${env:SIPLINE_JWT_ISSUER}",
      description =
          "The iss a JWT must carry, e.g. https://HOST/realms/REALM. Env: SIPLINE_JWT_ISSUER.")
  String jwtIssuer;

  @Option(
      names = "--jwt-audience",
      paramLabel = "AUD",
      defaultValue = "${env:SIPLINE_JWT_AUDIENCE}",
      description = "A value a JWT's aud must contain. Env: SIPLINE_JWT_AUDIENCE.")
  String jwtAudience;

  @Option(
      names = "--jwt-required-role",
      paramLabel = "ROLE|CLIENT:ROLE",
      defaultValue = "${env:SIPLINE_JWT_REQUIRED_ROLE}",
      description =
          "Refuse (PERMISSION_DENIED) a JWT without this realm role (realm_access.roles) or "
              + "client role (resource_access.CLIENT.roles). Env: SIPLINE_JWT_REQUIRED_ROLE.")
  String jwtRequiredRole;

  @Option(
      names = "--jwt-required-scope",
      paramLabel = "SCOPE",
      defaultValue = "${env:SIPLINE_JWT_REQUIRED_SCOPE}",
      description =
          "Refuse (PERMISSION_DENIED) a JWT whose scope lacks this one. "
              + "Env: SIPLINE_JWT_REQUIRED_SCOPE.")
  String jwtRequiredScope;

  @Option(
      names = "--max-wav-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      defaultValue = "${env:SIPLINE_MAX_WAV_BYTES:-32MiB}",
      description =
          "Largest total of WAV data one SipPlayWavFiles request may carry; larger ones "
              + "are refused with RESOURCE_EXHAUSTED. Env: SIPLINE_MAX_WAV_BYTES.")
  long maxWavBytes;

  @Option(
      names = "--sip-address",
      paramLabel = "ADDR",
      defaultValue = "${env:SIPLINE_SIP_ADDRESS:-0.0.0.0}",
      description = "Address the SIP and RTP sockets bind to. Env: SIPLINE_SIP_ADDRESS.")
  String sipAddress;

  @Option(
      names = "--sip-port",
      paramLabel = "PORT",
      defaultValue = "${env:SIPLINE_SIP_PORT:-5060}",
      description = "SIP port; 0 picks any free port. Env: SIPLINE_SIP_PORT.")
  int sipPort;

  @Option(
      names = "--sip-transport",
      paramLabel = "udp|tcp|tls",
      defaultValue = "${env:SIPLINE_SIP_TRANSPORT:-udp}",
      description = "SIP transport. Env: SIPLINE_SIP_TRANSPORT.")
  Transport sipTransport;

  @Option(
      names = "--sip-tls-ca",
      paramLabel = "PEM",
      defaultValue = "${env:SIPLINE_SIP_TLS_CA}",
      description =
          "CA certificates (PEM) a SIP-over-TLS peer's certificate must chain to; the "
              + "peer's host name is checked too. By default the system's trusted CAs. The "
              + "backend option tls.ca. Env: SIPLINE_SIP_TLS_CA.")
  String sipTlsCa;

  @Option(
      names = "--sip-tls-cert",
      paramLabel = "PEM",
      defaultValue = "${env:SIPLINE_SIP_TLS_CERT}",
      description =
          "Our SIP-over-TLS certificate (PEM, leaf first): what the TLS listener presents to a "
              + "peer that connects to it (an incoming call over TLS). Needs --sip-tls-key. The "
              + "backend option tls.cert. Env: SIPLINE_SIP_TLS_CERT.")
  String sipTlsCert;

  @Option(
      names = "--sip-tls-key",
      paramLabel = "PEM",
      defaultValue = "${env:SIPLINE_SIP_TLS_KEY}",
      description =
          "The private key of --sip-tls-cert (PEM, unencrypted PKCS#8). The backend option "
              + "tls.key. Env: SIPLINE_SIP_TLS_KEY.")
  String sipTlsKey;

  @Option(
      names = "--codecs",
      paramLabel = "LIST",
      defaultValue = "${env:SIPLINE_CODECS}",
      description =
          "Audio codecs in order of preference, comma-separated, from opus, g722, pcmu, pcma: "
              + "the order offered and the preference when answering. By default every one the "
              + "backend runs here (opus,g722,pcmu,pcma on jainsip, Opus where libopus0 loads; "
              + "pcmu,pcma on pjsip, whose G.722 and Opus are asked for by name). "
              + "The backend option codecs. Env: SIPLINE_CODECS.")
  String codecs;

  @Option(
      names = "--advertised-address",
      paramLabel = "ADDR",
      defaultValue = "${env:SIPLINE_ADVERTISED_ADDRESS}",
      description =
          "Address written into Via, Contact and SDP (e.g. behind NAT); by default the "
              + "SIP address, or the interface that routes to the peer. "
              + "Env: SIPLINE_ADVERTISED_ADDRESS.")
  String advertisedAddress;

  @Option(
      names = "--dns-servers",
      paramLabel = "HOST[:PORT],...",
      defaultValue = "${env:SIPLINE_DNS_SERVERS}",
      description =
          "Name servers (numeric addresses, port 53 by default) that locate SIP servers by RFC"
              + " 3263 (NAPTR, SRV, A/AAAA); by default the system's (resolv.conf)."
              + " Env: SIPLINE_DNS_SERVERS.")
  String dnsServers;

  @Option(
      names = "--rtp-ports",
      paramLabel = "MIN-MAX|any",
      converter = RtpPorts.Converter.class,
      defaultValue = "${env:SIPLINE_RTP_PORTS:-any}",
      description = "UDP port range for RTP (MIN even). Env: SIPLINE_RTP_PORTS.")
  RtpPorts rtpPorts;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      defaultValue = "${env:SIPLINE_BACKEND}",
      description =
          "SIP/RTP backend (jainsip, pjsip); by default the highest-priority one "
              + "available here (`sipline backends` lists them). Env: SIPLINE_BACKEND.")
  String backend;

  @Option(
      names = "--backend-option",
      paramLabel = "NAME=VALUE",
      split = ",",
      showDefaultValue = Visibility.NEVER,
      defaultValue = "${env:SIPLINE_BACKEND_OPTIONS}",
      description =
          "Backend setting, repeatable; the same setting has the same name on every backend"
              + " (register.expires, trusted.sources, ...). An unknown name or a bad value stops"
              + " the start, listing the backend's valid options. "
              + "Env: SIPLINE_BACKEND_OPTIONS (comma-separated).")
  Map<String, String> backendOptions = new LinkedHashMap<>();

  @Option(
      names = "--history-limit",
      paramLabel = "N",
      defaultValue = "${env:SIPLINE_HISTORY_LIMIT:-10000}",
      description = "How many statuses the line's history keeps. Env: SIPLINE_HISTORY_LIMIT.")
  int historyLimit;

  @Option(
      names = "--journal",
      paramLabel = "FILE",
      defaultValue = "${env:SIPLINE_JOURNAL}",
      description =
          "Journal the status history to this file, so a restart keeps it. "
              + "Env: SIPLINE_JOURNAL.")
  Path journal;

  @Option(
      names = "--call-records",
      paramLabel = "FILE",
      defaultValue = "${env:SIPLINE_CALL_RECORDS}",
      description =
          "Append a record of every call (parties, times, final SIP code, who hung up, RTP/RTCP"
              + " quality, MOS) to this file as one JSON line. Env: SIPLINE_CALL_RECORDS.")
  Path callRecords;

  @Option(
      names = "--call-records-keep",
      paramLabel = "N",
      defaultValue = "${env:SIPLINE_CALL_RECORDS_KEEP:-1000}",
      description =
          "How many call records are kept in memory for ListCallRecords (0..1000000)."
              + " Env: SIPLINE_CALL_RECORDS_KEEP.")
  int callRecordsKeep;

  @Option(
      names = "--recordings-dir",
      paramLabel = "DIR",
      defaultValue = "${env:SIPLINE_RECORDINGS_DIR}",
      description =
          "Write each call's received audio to a WAV file here. " + "Env: SIPLINE_RECORDINGS_DIR.")
  Path recordingsDir;

  @Option(
      names = "--register-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:SIPLINE_REGISTER_TIMEOUT:-10s}",
      description = "How long a REGISTER may go unanswered. Env: SIPLINE_REGISTER_TIMEOUT.")
  Duration registerTimeout;

  @Option(
      names = "--transaction-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:SIPLINE_TRANSACTION_TIMEOUT:-32s}",
      description =
          "Bound on any other SIP transaction (INVITE until its final response, BYE, "
              + "CANCEL, REFER). Env: SIPLINE_TRANSACTION_TIMEOUT.")
  Duration transactionTimeout;

  @Option(
      names = "--transfer-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:SIPLINE_TRANSFER_TIMEOUT:-30s}",
      description =
          "How long a transfer may wait for the NOTIFY that ends it. "
              + "Env: SIPLINE_TRANSFER_TIMEOUT.")
  Duration transferTimeout;

  @Option(
      names = "--media-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:SIPLINE_MEDIA_TIMEOUT:-0}",
      description =
          "End a connected call that receives no RTP for this long; 0 never does. "
              + "Env: SIPLINE_MEDIA_TIMEOUT.")
  Duration mediaTimeout;

  @Option(
      names = "--session-expires",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:SIPLINE_SESSION_EXPIRES:-1800s}",
      description =
          "Session timer (RFC 4028) asked for in INVITEs and offered in 2xx: a call whose "
              + "refresher stops refreshing is ended with BYE. At least 90s; 0 asks for none "
              + "(one a far end asks for is still honoured). Env: SIPLINE_SESSION_EXPIRES.")
  Duration sessionExpires;

  @Option(
      names = "--srtp",
      paramLabel = "off|offer|require",
      defaultValue = "${env:SIPLINE_SRTP:-off}",
      description =
          "SRTP (RFC 3711, AES_CM_128_HMAC_SHA1_80/_32, keys by SDES): off sends and takes plain "
              + "RTP only; offer encrypts when the far end agrees (our offers are RTP/SAVP, plain "
              + "answers and offers taken); require refuses plain offers with 488 and fails "
              + "calls answered plain. Env: SIPLINE_SRTP.")
  SrtpMode srtp;

  @Option(
      names = "--hangup-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:SIPLINE_HANGUP_TIMEOUT:-3s}",
      description =
          "On stop (SIGTERM): how long to wait for the BYE and un-REGISTER to be "
              + "answered. Env: SIPLINE_HANGUP_TIMEOUT.")
  Duration hangupTimeout;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "${env:SIPLINE_DRAIN_TIMEOUT:-30s}",
      description =
          "On SIGTERM (or the Drain rpc): new calls are refused 503 and ongoing ones may "
              + "go on this long before they get a BYE; 0 hangs up at once. "
              + "Env: SIPLINE_DRAIN_TIMEOUT.")
  Duration drainTimeout;

  @Option(
      names = "--register-rate",
      paramLabel = "PER_SECOND",
      defaultValue = "${env:SIPLINE_REGISTER_RATE:-20}",
      description =
          "First REGISTERs per second across all lines of the process (refreshes are spread "
              + "by jitter instead): a thousand lines at boot do not flood the registrar. "
              + "Env: SIPLINE_REGISTER_RATE.")
  double registerRate;

  @Option(
      names = "--nlu-session-template",
      paramLabel = "TEMPLATE",
      defaultValue = "${env:SIPLINE_NLU_SESSION_TEMPLATE}",
      description =
          "Template of each call's nlu_session_name; by default derived from the "
              + "Call-ID. Env: SIPLINE_NLU_SESSION_TEMPLATE.")
  String nluSessionTemplate;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "${env:SIPLINE_LOG_LEVEL:-info}",
      description = "error, warn, info, debug or trace. Env: SIPLINE_LOG_LEVEL.")
  LogLevel logLevel;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      defaultValue = "${env:SIPLINE_LOG_FORMAT:-text}",
      description = "One readable line or one JSON object per event. Env: SIPLINE_LOG_FORMAT.")
  LogFormat logFormat;

  @Option(
      names = "--lines",
      paramLabel = "N",
      defaultValue = "${env:SIPLINE_LINES}",
      description =
          "Serve N lines named line-0 … line-(N-1) on one backend; by default one. A request "
              + "picks its line by the x-sipline-line header, else by --line-ports, else gets "
              + "the first. Env: SIPLINE_LINES.")
  Integer lines;

  @Option(
      names = "--lines-file",
      paramLabel = "FILE",
      defaultValue = "${env:SIPLINE_LINES_FILE}",
      description =
          "Serve the lines this file names, one per text line: the name, then optional "
              + "account=, password-file=, auth-username=, outbound-proxy=, auto-answer= "
              + "(a line with an account registers it and starts its session at boot). "
              + "Not with --lines. Env: SIPLINE_LINES_FILE.")
  Path linesFile;

  @Option(
      names = "--line-ports",
      paramLabel = "BASE",
      defaultValue = "${env:SIPLINE_LINE_PORTS:-0}",
      description =
          "Give line i a gRPC port of its own, BASE+i (the --grpc-port stays the first "
              + "line's); 0 gives none. Env: SIPLINE_LINE_PORTS.")
  int linePorts;

  @Option(
      names = "--metrics-address",
      paramLabel = "ADDR",
      defaultValue = "${env:SIPLINE_METRICS_ADDRESS:-0.0.0.0}",
      description =
          "Address the Prometheus metrics endpoint binds to. Env: SIPLINE_METRICS_ADDRESS.")
  String metricsAddress;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "${env:SIPLINE_METRICS_PORT}",
      description =
          "Serve Prometheus metrics at http://ADDR:PORT/metrics (text format); 0 picks any free "
              + "port; unset serves none. Env: SIPLINE_METRICS_PORT.")
  Integer metricsPort;

  /**
   * The backend options with {@code --dns-servers} as the option both backends read ({@value
   * #DNS_SERVERS_OPTION}); the backend checks the value and names the option when it is wrong.
   */
  private Map<String, String> withDnsServers() {
    if (dnsServers == null || dnsServers.isBlank()) {
      return backendOptions;
    }
    if (backendOptions.containsKey(DNS_SERVERS_OPTION)) {
      throw new InvalidConfigException(
          "--dns-servers",
          "also given as --backend-option " + DNS_SERVERS_OPTION + "; keep one of them");
    }
    Map<String, String> options = new LinkedHashMap<>(backendOptions);
    options.put(DNS_SERVERS_OPTION, dnsServers.strip());
    return options;
  }

  /** The backend option {@code --dns-servers} sets. */
  static final String DNS_SERVERS_OPTION = "dns.servers";

  /**
   * @throws InvalidConfigException naming the flag whose value cannot work
   */
  ServerConfig toConfig() {
    return ServerConfig.builder()
        .grpcAddress(grpcAddress)
        .grpcPort(grpcPort)
        .reflection(reflection)
        .tls(tlsCert, tlsKey)
        .tlsClientCa(tlsClientCa)
        .tokenFile(tokenFile)
        .jwt(JwtSettings.of(jwtJwks, jwtIssuer, jwtAudience, jwtRequiredRole, jwtRequiredScope))
        .maxWavBytes(maxWavBytes)
        .sipAddress(sipAddress)
        .sipPort(sipPort)
        .sipTransport(sipTransport)
        .advertisedAddress(advertisedAddress)
        .rtpPorts(rtpPorts.min(), rtpPorts.max())
        .backend(backend)
        .backendOptions(
            withCodecs(
                withFlag(
                    "--sip-tls-key",
                    sipTlsKey,
                    TlsKeyPair.KEY_OPTION,
                    withFlag(
                        "--sip-tls-cert",
                        sipTlsCert,
                        TlsKeyPair.CERT_OPTION,
                        withFlag("--sip-tls-ca", sipTlsCa, TlsTrust.OPTION, withDnsServers())))))
        .historyLimit(historyLimit)
        .journal(journal)
        .recordingsDir(recordingsDir)
        .registerTimeout(registerTimeout)
        .transactionTimeout(transactionTimeout)
        .transferTimeout(transferTimeout)
        .mediaTimeout(mediaTimeout)
        .sessionExpires(sessionExpires)
        .srtp(srtp)
        .hangupTimeout(hangupTimeout)
        .drainTimeout(drainTimeout)
        .registerRate(registerRate)
        .nluSessionTemplate(nluSessionTemplate)
        .logLevel(logLevel)
        .logFormat(logFormat)
        .lines(lines())
        .linePortBase(linePorts)
        .callRecords(callRecords)
        .callRecordsKeep(callRecordsKeep)
        .metricsAddress(metricsAddress)
        .metricsPort(metricsPort)
        .build();
  }

  /**
   * {@code --sip-tls-ca}, {@code --sip-tls-cert} and {@code --sip-tls-key} are the backend options
   * {@value TlsTrust#OPTION}, {@value TlsKeyPair#CERT_OPTION} and {@value TlsKeyPair#KEY_OPTION}
   * with flags of their own (they mean the same on every backend); giving a flag and its option
   * with different values is refused. The backend reads and checks the files.
   */
  private static Map<String, String> withFlag(
      String flag, String value, String option, Map<String, String> options) {
    if (value == null || value.isBlank()) {
      return options;
    }
    String given = options.get(option);
    if (given != null && !given.equals(value)) {
      throw new InvalidConfigException(
          flag, value + " differs from --backend-option " + option + "=" + given);
    }
    Map<String, String> merged = new LinkedHashMap<>(options);
    merged.put(option, value);
    return merged;
  }

  /**
   * {@code --codecs} is the backend option {@value CodecList#OPTION} with a flag of its own; giving
   * both with different values is refused. The backend checks the names.
   */
  private Map<String, String> withCodecs(Map<String, String> options) {
    if (codecs == null || codecs.isBlank()) {
      return options;
    }
    String given = options.get(CodecList.OPTION);
    if (given != null && !given.equals(codecs)) {
      throw new InvalidConfigException(
          "--codecs", codecs + " differs from --backend-option " + CodecList.OPTION + "=" + given);
    }
    Map<String, String> merged = new LinkedHashMap<>(options);
    merged.put(CodecList.OPTION, codecs);
    return merged;
  }

  private List<LineSpec> lines() {
    if (lines != null && linesFile != null) {
      throw new InvalidConfigException("--lines-file", "give either --lines or --lines-file");
    }
    if (linesFile != null) {
      return LinesFile.read(linesFile);
    }
    return lines == null ? LineSpec.single() : LineSpec.numbered(lines);
  }
}
