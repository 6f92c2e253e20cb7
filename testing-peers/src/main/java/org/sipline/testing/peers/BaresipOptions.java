package org.sipline.testing.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How a {@link Baresip} peer is set up. Immutable; each {@code with…} returns a copy.
 *
 * <p>Defaults: user "baresip" on a picked port, not registered, answering calls by itself, PCMU and
 * PCMA, sending a minute of silence per call, ten seconds to start.
 */
public final class BaresipOptions {
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._~+-]{1,64}");
  private static final Pattern HOST_PORT = Pattern.compile("127(\\.\\d{1,3}){3}:\\d{1,5}");
  private static final Pattern PASSWORD = Pattern.compile("[\\x21-\\x7e&&[^;\"<>\\\\]]{1,64}");
  private static final List<String> CODECS = List.of("PCMU", "PCMA", "G722", "opus");

  /** G.711 unless a test asks for more: its aufile source is then 8 kHz whatever is negotiated. */
  private static final List<String> DEFAULT_CODECS = List.of("PCMU", "PCMA");

  private final String user;
  private final int port;
  private final String registrar;
  private final String password;
  private final boolean autoAnswer;
  private final List<String> codecs;
  private final Path audioSource;
  private final Duration silence;
  private final Duration startTimeout;
  private final String mediaEncryption;

  private BaresipOptions(Copy c) {
    this.user = c.user;
    this.port = c.port;
    this.registrar = c.registrar;
    this.password = c.password;
    this.autoAnswer = c.autoAnswer;
    this.codecs = c.codecs;
    this.audioSource = c.audioSource;
    this.silence = c.silence;
    this.startTimeout = c.startTimeout;
    this.mediaEncryption = c.mediaEncryption;
  }

  /** The fields of an options object being changed: each wither changes its own and builds. */
  private static final class Copy {
    String user;
    int port;
    String registrar;
    String password;
    boolean autoAnswer;
    List<String> codecs;
    Path audioSource;
    Duration silence;
    Duration startTimeout;
    String mediaEncryption;

    Copy() {}

    Copy(BaresipOptions o) {
      user = o.user;
      port = o.port;
      registrar = o.registrar;
      password = o.password;
      autoAnswer = o.autoAnswer;
      codecs = o.codecs;
      audioSource = o.audioSource;
      silence = o.silence;
      startTimeout = o.startTimeout;
      mediaEncryption = o.mediaEncryption;
    }
  }

  /** A copy of these options with {@code change} applied. */
  private BaresipOptions with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return new BaresipOptions(copy);
  }

  public static BaresipOptions defaults() {
    Copy c = new Copy();
    c.user = "baresip";
    c.autoAnswer = true;
    c.codecs = DEFAULT_CODECS;
    c.silence = Duration.ofSeconds(60);
    c.startTimeout = Duration.ofSeconds(10);
    return new BaresipOptions(c);
  }

  /** The account's user part (letters, digits, {@code . _ ~ + -}). */
  public BaresipOptions withUser(String user) {
    Objects.requireNonNull(user, "user");
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException("user must be 1-64 of [A-Za-z0-9._~+-]: " + user);
    }
    return with(c -> c.user = user);
  }

  /** The SIP port (UDP and TCP; baresip also takes the next one for TLS); 0 picks them. */
  public BaresipOptions withPort(int port) {
    if (port < 0 || port > 65534) {
      throw new IllegalArgumentException("port out of range 0-65534: " + port);
    }
    return with(c -> c.port = port);
  }

  /**
   * Registers the account at {@code registrarHostPort} (e.g. {@link Kamailio#hostPort()}) with
   * digest auth; the account's address becomes {@code sip:<user>@<registrarHostPort>}. {@link
   * Baresip#start} then returns once the registration succeeded.
   */
  public BaresipOptions withRegistrar(String registrarHostPort, String password) {
    Objects.requireNonNull(registrarHostPort, "registrarHostPort");
    Objects.requireNonNull(password, "password");
    if (!HOST_PORT.matcher(registrarHostPort).matches()) {
      throw new IllegalArgumentException(
          "registrar must be <127.x.y.z>:<port> (tests stay on loopback): " + registrarHostPort);
    }
    if (!PASSWORD.matcher(password).matches()) {
      throw new IllegalArgumentException(
          "password must be 1-64 printable ASCII characters without ; \" < > \\");
    }
    return with(
        c -> {
          c.registrar = registrarHostPort;
          c.password = password;
        });
  }

  /**
   * Whether baresip answers incoming calls by itself (default) or waits for {@link
   * Baresip#accept()}.
   */
  public BaresipOptions withAutoAnswer(boolean autoAnswer) {
    return with(c -> c.autoAnswer = autoAnswer);
  }

  /**
   * The audio codecs offered and accepted, in order of preference: PCMU, PCMA, G722, opus (as
   * baresip names them; its aufile source then needs a file at the codec's rate: 8000, 16000 or
   * 48000 Hz).
   */
  public BaresipOptions withCodecs(String... codecs) {
    List<String> list = List.of(codecs);
    if (list.isEmpty()
        || !CODECS.containsAll(list)
        || list.stream().distinct().count() != list.size()) {
      throw new IllegalArgumentException("codecs must be distinct, from " + CODECS + ": " + list);
    }
    return with(c -> c.codecs = list);
  }

  /**
   * What baresip sends in each call: a WAV file, mono 16-bit PCM at 8000 Hz (the only format its
   * aufile module plays for G.711). baresip hangs up within about a second after the file has
   * played.
   */
  public BaresipOptions withAudioSource(Path wav) {
    Objects.requireNonNull(wav, "wav");
    if (!Files.isRegularFile(wav)) {
      throw new IllegalArgumentException("audio source is not a file: " + wav);
    }
    return with(c -> c.audioSource = wav);
  }

  /**
   * Without an audio source, how long the silence lasts that baresip sends in each call; it hangs
   * up when the silence has played (default one minute).
   */
  public BaresipOptions withSilence(Duration silence) {
    if (silence.toMillis() < 20) {
      throw new IllegalArgumentException("silence must last at least 20 ms: " + silence);
    }
    return with(
        c -> {
          c.audioSource = null;
          c.silence = silence;
        });
  }

  /**
   * The account's media encryption through baresip's {@code srtp} module (SDES keys): {@code srtp}
   * (best effort: RTP/AVP with crypto lines), {@code srtp-mand} (RTP/SAVP, plain refused), or null
   * for none (default).
   *
   * @param mediaEncryption {@code srtp}, {@code srtp-mand} or null
   * @return a copy with it
   */
  public BaresipOptions withMediaEncryption(String mediaEncryption) {
    if (mediaEncryption != null && !List.of("srtp", "srtp-mand").contains(mediaEncryption)) {
      throw new IllegalArgumentException(
          "media encryption must be srtp or srtp-mand: " + mediaEncryption);
    }
    return with(c -> c.mediaEncryption = mediaEncryption);
  }

  /**
   * The account's media encryption.
   *
   * @return {@code srtp}, {@code srtp-mand}, or null for none
   */
  public String mediaEncryption() {
    return mediaEncryption;
  }

  /** How long {@link Baresip#start} waits for baresip to be ready (and registered). */
  public BaresipOptions withStartTimeout(Duration startTimeout) {
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
    }
    return with(c -> c.startTimeout = startTimeout);
  }

  public String user() {
    return user;
  }

  public int port() {
    return port;
  }

  /** The registrar's {@code host:port}, or null when not registering. */
  public String registrar() {
    return registrar;
  }

  public String password() {
    return password;
  }

  public boolean autoAnswer() {
    return autoAnswer;
  }

  public List<String> codecs() {
    return codecs;
  }

  /** The WAV to send, or null for silence. */
  public Path audioSource() {
    return audioSource;
  }

  public Duration silence() {
    return silence;
  }

  public Duration startTimeout() {
    return startTimeout;
  }
}
