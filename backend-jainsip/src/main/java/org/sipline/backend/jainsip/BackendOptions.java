package org.sipline.backend.jainsip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sipline.backend.jainsip.media.MediaEngine;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.BackendOptionCheck;
import org.sipline.core.spi.CodecList;
import org.sipline.core.spi.TlsKeyPair;
import org.sipline.core.spi.TlsTrust;
import org.sipline.core.spi.Transport;
import org.sipline.core.spi.TrustedSources;

/**
 * The jainsip-specific settings of {@link BackendConfig#options()}, checked once at start-up.
 *
 * <table>
 *   <caption>Option names</caption>
 *   <tr><th>name</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@value #TRUSTED_SOURCES}</td><td>IP addresses, comma-separated, besides the
 *       accounts' registrars and outbound proxies, whose out-of-dialog INVITEs reach a line;
 *       {@code *} for anyone (see {@link TrustedSources})</td><td>none</td></tr>
 *   <tr><td>{@value #REGISTER_EXPIRES}</td><td>seconds asked for in REGISTER's Expires</td>
 *       <td>600</td></tr>
 *   <tr><td>{@value #TLS_PORT}</td><td>the TLS listening port (0: any free port)</td>
 *       <td>the SIP port + 1, or any free port when the SIP port is 0</td></tr>
 *   <tr><td>{@value TlsKeyPair#CERT_OPTION}, {@value TlsKeyPair#KEY_OPTION}</td><td>PEM files
 *       of our certificate and its private key ({@link TlsKeyPair}, the server's {@code
 *       --sip-tls-cert}/{@code --sip-tls-key}); setting them turns the TLS listening point on
 *       (this pair or {@value #TLS_KEY_STORE} is required when the transport is TLS)</td>
 *       <td>none</td></tr>
 *   <tr><td>{@value #TLS_KEY_STORE}</td><td>key store file with our certificate, instead of
 *       the PEM pair; setting it turns the TLS listening point on</td>
 *       <td>none</td></tr>
 *   <tr><td>{@value #TLS_KEY_STORE_PASSWORD}</td><td>its password</td><td>""</td></tr>
 *   <tr><td>{@value #TLS_KEY_STORE_TYPE}</td><td>its type</td><td>PKCS12</td></tr>
 *   <tr><td>{@value #TLS_CA}</td><td>PEM file of the CAs a peer's certificate must chain to
 *       ({@link TlsTrust}); the peer's host name is checked too</td>
 *       <td>the JDK's trust store</td></tr>
 *   <tr><td>{@value #TLS_TRUST_STORE}</td><td>a key store of trusted CAs instead of {@value
 *       #TLS_CA}</td><td>the JDK's trust store</td></tr>
 *   <tr><td>{@value #TLS_TRUST_STORE_PASSWORD}</td><td>its password</td>
 *       <td>the key store's</td></tr>
 *   <tr><td>{@value #TLS_TRUST_STORE_TYPE}</td><td>its type</td><td>PKCS12</td></tr>
 *   <tr><td>{@value #MEDIA_REALTIME}</td><td>the SCHED_FIFO priority (1..99) the RTP pacer
 *       thread asks for, or {@code off}; refused by the system, it runs at normal priority
 *       after one warning</td><td>{@value MediaEngine#PACER_REALTIME_DEFAULT}</td></tr>
 *   <tr><td>{@value #DNS_SERVERS}</td><td>name servers for RFC 3263 location,
 *       {@code address[:port]} comma-separated, numeric</td><td>the system's (resolv.conf)</td></tr>
 *   <tr><td>{@value CodecList#OPTION}</td><td>audio codecs in our order of preference,
 *       comma-separated: {@code opus}, {@code g722}, {@code pcmu}, {@code pcma} (see {@link
 *       CodecPreference}); Opus only where libopus loads</td>
 *       <td>{@code opus,g722,pcmu,pcma}, Opus left out where libopus does not load</td></tr>
 * </table>
 *
 * @param registerExpires seconds asked for in REGISTER
 * @param tls the TLS settings, or null when TLS is off
 * @param trusted who may send a line out-of-dialog INVITEs
 * @param pacerRealtime the RTP pacer's SCHED_FIFO priority, or {@link
 *     MediaEngine#PACER_REALTIME_OFF}
 * @param dnsServers the name servers to ask, in order; empty for the system's
 * @param codecs the audio codecs in our order of preference ({@value CodecList#OPTION})
 */
record BackendOptions(
    int registerExpires,
    Tls tls,
    TrustedSources trusted,
    int pacerRealtime,
    List<java.net.InetSocketAddress> dnsServers,
    CodecPreference codecs) {
  static final String TRUSTED_SOURCES = TrustedSources.OPTION;
  static final String REGISTER_EXPIRES = "register.expires";
  static final String TLS_PORT = "tls.port";
  static final String TLS_KEY_STORE = "tls.keyStore";
  static final String TLS_KEY_STORE_PASSWORD = "tls.keyStorePassword";
  static final String TLS_KEY_STORE_TYPE = "tls.keyStoreType";
  static final String TLS_CA = TlsTrust.OPTION;
  static final String TLS_TRUST_STORE = "tls.trustStore";
  static final String TLS_TRUST_STORE_PASSWORD = "tls.trustStorePassword";
  static final String TLS_TRUST_STORE_TYPE = "tls.trustStoreType";
  static final String MEDIA_REALTIME = "media.realtime";
  static final String DNS_SERVERS = "dns.servers";

  private static final int DEFAULT_REGISTER_EXPIRES = 600;
  private static final int MAX_REGISTER_EXPIRES = 86_400;

  /** Every option jainsip takes, as {@link JainSipBackendProvider#options()} declares them. */
  static final List<BackendOption> DECLARED =
      List.of(
          BackendOption.integer(
              REGISTER_EXPIRES, 1, MAX_REGISTER_EXPIRES, "seconds asked for in REGISTER's Expires"),
          BackendOption.addresses(
              TRUSTED_SOURCES,
              "addresses besides registrars and outbound proxies that may open a dialog"),
          BackendOption.integer(TLS_PORT, 0, 65_535, "the TLS listening port (0: any free port)"),
          TlsKeyPair.CERT_DECLARATION,
          TlsKeyPair.KEY_DECLARATION,
          BackendOption.path(TLS_KEY_STORE, "key store with our certificate; turns TLS on"),
          BackendOption.text(TLS_KEY_STORE_PASSWORD, "the key store's password"),
          BackendOption.text(TLS_KEY_STORE_TYPE, "the key store's type"),
          TlsTrust.DECLARATION,
          BackendOption.path(TLS_TRUST_STORE, "a key store of trusted CAs instead of tls.ca"),
          BackendOption.text(TLS_TRUST_STORE_PASSWORD, "the trust store's password"),
          BackendOption.text(TLS_TRUST_STORE_TYPE, "the trust store's type"),
          BackendOption.integerOr(
              MEDIA_REALTIME,
              MediaEngine.PACER_REALTIME_MIN,
              MediaEngine.PACER_REALTIME_MAX,
              Set.of("off"),
              "the RTP pacer thread's SCHED_FIFO priority"),
          BackendOption.text(
              DNS_SERVERS, "name servers (address[:port], comma-separated) for RFC 3263"),
          CodecList.DECLARATION);

  /**
   * The TLS listening point's settings. Passwords stay out of {@link #toString()}.
   *
   * @param port the listening port, 0 for any free port
   * @param keyPair our certificate and key from PEM files, or null when {@code keyStore} holds them
   * @param keyStore the key store with our certificate, or null when {@code keyPair} is given
   * @param ca the PEM file of trusted CAs, or null
   * @param trustStore a key store of trusted CAs, or null; with neither, the JDK's trust store
   */
  record Tls(
      int port,
      TlsKeyPair keyPair,
      Path keyStore,
      String keyStorePassword,
      String keyStoreType,
      Path ca,
      Path trustStore,
      String trustStorePassword,
      String trustStoreType) {
    @Override
    public String toString() {
      return "Tls[port="
          + port
          + (keyPair != null ? ", " + keyPair : ", keyStore=" + keyStore)
          + ", ca="
          + ca
          + ", trustStore="
          + trustStore
          + "]";
    }
  }

  /**
   * Reads the options of {@code config}; an unknown name or a bad value is refused by name. Core's
   * {@link BackendOptionCheck} (run again here for a backend started directly) checks each option
   * alone; what needs more than one, or the file system, is checked here.
   */
  static BackendOptions from(BackendConfig config) {
    Map<String, String> options = config.options();
    BackendOptionCheck.check(JainSipBackendProvider.NAME, DECLARED, options);
    int expires =
        intOption(options, REGISTER_EXPIRES, DEFAULT_REGISTER_EXPIRES, 1, MAX_REGISTER_EXPIRES);
    String trusted = options.get(TRUSTED_SOURCES);
    return new BackendOptions(
        expires,
        tls(config, options),
        trusted == null
            ? TrustedSources.registrarsOnly()
            : TrustedSources.parse(TRUSTED_SOURCES, trusted),
        pacerRealtime(options.get(MEDIA_REALTIME)),
        dnsServers(options.get(DNS_SERVERS)),
        codecs(options.get(CodecList.OPTION)));
  }

  /** {@value CodecList#OPTION}: absent, every codec that runs here (Opus where libopus loads). */
  private static CodecPreference codecs(String value) {
    Availability opus = org.sipline.backend.jainsip.media.OpusEncoder.availability();
    return value == null ? CodecPreference.defaults(opus) : CodecPreference.parse(value, opus);
  }

  private static List<java.net.InetSocketAddress> dnsServers(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    try {
      return org.sipline.backend.jainsip.dns.DnsServers.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("option '" + DNS_SERVERS + "': " + e.getMessage(), e);
    }
  }

  /**
   * {@value #MEDIA_REALTIME}, already held to {@link #DECLARED} ("off" or a SCHED_FIFO priority):
   * absent means the default.
   */
  static int pacerRealtime(String value) {
    if (value == null) {
      return MediaEngine.PACER_REALTIME_DEFAULT;
    }
    return value.strip().equalsIgnoreCase("off")
        ? MediaEngine.PACER_REALTIME_OFF
        : Integer.parseInt(value.strip());
  }

  private static Tls tls(BackendConfig config, Map<String, String> options) {
    String keyStore = options.get(TLS_KEY_STORE);
    TlsKeyPair keyPair = TlsKeyPair.fromOptions(options).orElse(null);
    if (keyPair != null && keyStore != null) {
      throw new IllegalArgumentException(
          "options '"
              + TlsKeyPair.CERT_OPTION
              + "'/'"
              + TlsKeyPair.KEY_OPTION
              + "' and '"
              + TLS_KEY_STORE
              + "' both name our certificate: give one");
    }
    if (keyPair != null) {
      for (String name : List.of(TLS_KEY_STORE_PASSWORD, TLS_KEY_STORE_TYPE)) {
        if (options.containsKey(name)) {
          throw new IllegalArgumentException(
              "option '" + name + "' belongs to '" + TLS_KEY_STORE + "', not to PEM files");
        }
      }
    }
    if (keyStore == null && keyPair == null) {
      if (config.transport() == Transport.TLS) {
        throw new IllegalArgumentException(
            "transport TLS needs our certificate: options '"
                + TlsKeyPair.CERT_OPTION
                + "' and '"
                + TlsKeyPair.KEY_OPTION
                + "' (PEM files), or '"
                + TLS_KEY_STORE
                + "'");
      }
      for (String name : options.keySet()) {
        if (name.startsWith("tls.")) {
          throw new IllegalArgumentException(
              "option '"
                  + name
                  + "' needs our certificate as well: '"
                  + TlsKeyPair.CERT_OPTION
                  + "' and '"
                  + TlsKeyPair.KEY_OPTION
                  + "', or '"
                  + TLS_KEY_STORE
                  + "'");
        }
      }
      return null;
    }
    Path keyStorePath = keyStore == null ? null : readableFile(TLS_KEY_STORE, keyStore);
    String keyStorePassword = options.getOrDefault(TLS_KEY_STORE_PASSWORD, "");
    String keyStoreType = options.getOrDefault(TLS_KEY_STORE_TYPE, "PKCS12");
    String trustStore = options.get(TLS_TRUST_STORE);
    String ca = options.get(TLS_CA);
    if (ca != null && trustStore != null) {
      throw new IllegalArgumentException(
          "options '" + TLS_CA + "' and '" + TLS_TRUST_STORE + "' both name trusted CAs: give one");
    }
    Path trustStorePath = trustStore == null ? null : readableFile(TLS_TRUST_STORE, trustStore);
    Path caPath = ca == null ? null : readableFile(TLS_CA, ca);
    if (caPath != null) {
      TlsTrust.read(caPath); // refuses a file without certificates now, naming the option
    }
    if (keyStorePath != null) {
      // The RI only logs a key store it can't open and then fails obscurely: open it here.
      requireOpens(TLS_KEY_STORE, keyStorePath, keyStoreType, keyStorePassword);
    }
    int defaultPort = config.sipPort() == 0 ? 0 : config.sipPort() + 1;
    int port = intOption(options, TLS_PORT, defaultPort, 0, 65535);
    if (port != 0 && port == config.sipPort()) {
      throw new IllegalArgumentException(
          "option '" + TLS_PORT + "' " + port + " is the SIP port used by UDP and TCP");
    }
    return new Tls(
        port,
        keyPair,
        keyStorePath,
        keyStorePassword,
        keyStoreType,
        caPath,
        trustStorePath,
        options.getOrDefault(TLS_TRUST_STORE_PASSWORD, keyStorePassword),
        options.getOrDefault(TLS_TRUST_STORE_TYPE, keyStoreType));
  }

  private static void requireOpens(String name, Path path, String type, String password) {
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore.getInstance(type).load(in, password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "option '" + name + "': cannot open " + path + " as " + type + ": " + e.getMessage(), e);
    }
  }

  private static Path readableFile(String name, String value) {
    Path path = Path.of(value);
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(
          "option '" + name + "': " + value + " is not a readable file");
    }
    return path;
  }

  private static int intOption(
      Map<String, String> options, String name, int dflt, int min, int max) {
    String value = options.get(name);
    if (value == null) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option '" + name + "': not an integer: '" + value + "'", e);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          "option '" + name + "': " + n + " outside " + min + ".." + max);
    }
    return n;
  }
}
