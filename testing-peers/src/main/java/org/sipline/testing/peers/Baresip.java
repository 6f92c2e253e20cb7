package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavEncoding;
import org.sipline.core.audio.WavFormatException;
import org.sipline.core.audio.WavReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A baresip softphone on 127.0.0.1 for one test, driven over its ctrl_tcp socket: it dials, answers
 * (by itself unless told otherwise), hangs up, reports call events, sends a WAV file or silence,
 * and records the audio it receives (sndfile, {@code dump-<time>-dec.wav}).
 *
 * <pre>{@code
 * try (Baresip bob = Baresip.start(BaresipOptions.defaults().withUser("bob"))) {
 *   // let the code under test call bob.sipUri() ...
 *   bob.awaitEvent("CALL_ESTABLISHED", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>The account is created with the {@code uanew} command once our control connection stands, so
 * no event (REGISTER_OK included) is lost. Each call's audio source starts from the beginning of
 * the file; baresip hangs up about a second after it has played. Recordings are named to the
 * second: two calls starting within the same second share one file. {@link #close()} stops baresip
 * by its PID and removes its run directory, recordings included: read them first.
 */
public final class Baresip implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Baresip.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final String READY_LINE = "baresip is ready.";
  private static final int RTP_PORTS = 8;
  private static final int SAMPLE_RATE = 8000;

  private final BaresipOptions options;
  private final int rtpFirst;
  private final int port;
  private final String aor;
  private final Path runDir;

  /** Set by the first close(); a later one does nothing (try-with-resources after a close). */
  private final AtomicBoolean closed = new AtomicBoolean();

  private final Path recordingsDir;
  private final PeerProcess process;
  private final BaresipControl control;

  private Baresip(
      BaresipOptions options,
      int port,
      String aor,
      Path runDir,
      Path recordingsDir,
      PeerProcess process,
      BaresipControl control,
      int rtpFirst) {
    this.rtpFirst = rtpFirst;
    this.options = options;
    this.port = port;
    this.aor = aor;
    this.runDir = runDir;
    this.recordingsDir = recordingsDir;
    this.process = process;
    this.control = control;
  }

  /**
   * Starts baresip, connects to its control socket, creates the account and, when a registrar is
   * set, waits until the registration succeeded.
   *
   * @throws PeerException when baresip is missing, exits, is not ready in time, or the registration
   *     fails; the message ends with its log tail
   * @throws IllegalArgumentException when the audio source is not 16-bit PCM at the first codec's
   *     rate and channels (8 kHz mono for G.711)
   */
  public static Baresip start(BaresipOptions options) {
    if (options.audioSource() != null) {
      checkSource(options.audioSource(), options.codecs());
    }
    Path binary = Executables.find("baresip", "baresip-core");
    int port = options.port() == 0 ? FreePorts.sipPorts(2) : options.port();
    int ctrlPort = FreePorts.tcpPort();
    int rtpFirst = FreePorts.udpPortBlock(RTP_PORTS);
    String name = "baresip-" + options.user();
    Path runDir = RunDirs.create("baresip");
    PeerProcess process = null;
    BaresipControl control = null;
    try {
      Path recordings = writeFiles(options, runDir, port, ctrlPort, rtpFirst);
      process =
          PeerProcess.start(name, List.of(binary.toString(), "-f", runDir.toString()), runDir);
      control = connect(name, process, ctrlPort, options.startTimeout());
      createAccount(process, control, options, port);
      String aor =
          "sip:"
              + options.user()
              + "@"
              + (options.registrar() != null ? options.registrar() : "127.0.0.1:" + port);
      log.info("{} ready on 127.0.0.1:{} as {}, pid {}", name, port, aor, process.pid());
      return new Baresip(options, port, aor, runDir, recordings, process, control, rtpFirst);
    } catch (RuntimeException e) {
      if (control != null) {
        control.close();
      }
      if (process != null) {
        process.close();
      }
      RunDirs.release(runDir);
      throw e;
    }
  }

  /**
   * Writes config, empty accounts and contacts, and the audio source; returns the recordings dir.
   */
  private static Path writeFiles(
      BaresipOptions options, Path runDir, int port, int ctrlPort, int rtpFirst) {
    Path recordings = runDir.resolve("recordings");
    Path source = runDir.resolve("source.wav");
    try {
      Files.createDirectories(recordings);
      if (options.audioSource() != null) {
        Files.copy(options.audioSource(), source);
      } else {
        PcmWav.writeSilence(source, SAMPLE_RATE, options.silence());
      }
      Files.writeString(
          runDir.resolve("config"),
          BaresipConfig.config(
              port, ctrlPort, rtpFirst, rtpFirst + RTP_PORTS - 1, source, recordings));
      Files.writeString(runDir.resolve("accounts"), "");
      Files.writeString(runDir.resolve("contacts"), "");
    } catch (IOException e) {
      throw new UncheckedIOException("preparing baresip files in " + runDir, e);
    }
    return recordings;
  }

  /** Creates the account with uanew and, when it registers, waits for the outcome. */
  private static void createAccount(
      PeerProcess process, BaresipControl control, BaresipOptions options, int port) {
    String account = BaresipConfig.account(options, port);
    BaresipResponse created = control.command("uanew", account, COMMAND_TIMEOUT);
    if (!created.ok()) {
      throw process.failure("refused account " + account + ": " + created.data());
    }
    if (options.registrar() != null) {
      awaitRegistration(process, control, options);
    }
  }

  /**
   * aufile refuses a file whose rate and channels are not the negotiated codec's: 8000 Hz mono for
   * G.711, 16000 Hz mono for G.722, 48000 Hz stereo for Opus (as baresip 1.0 runs it). The file
   * must suit one of the codecs; that the call ends up on that one is the test's to arrange.
   */
  private static void checkSource(Path wav, List<String> codecs) {
    IllegalArgumentException refused = null;
    for (String codec : codecs) {
      try {
        checkSource(wav, codec);
        return;
      } catch (IllegalArgumentException e) {
        refused = refused == null ? e : refused;
      }
    }
    throw refused;
  }

  private static void checkSource(Path wav, String codec) {
    int rate =
        switch (codec) {
          case "G722" -> 16000;
          case "opus" -> 48000;
          default -> SAMPLE_RATE;
        };
    int channels = codec.equals("opus") ? 2 : 1;
    WavAudio audio;
    try {
      audio = WavReader.read(Files.readAllBytes(wav));
    } catch (WavFormatException e) {
      throw new IllegalArgumentException(
          "audio source " + wav + " is not a usable WAV: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading audio source " + wav, e);
    }
    if (audio.sampleRate() != rate
        || audio.channels() != channels
        || audio.encoding() != WavEncoding.PCM_S16LE) {
      throw new IllegalArgumentException(
          "audio source "
              + wav
              + " is "
              + audio
              + "; baresip's aufile plays only "
              + (channels == 1 ? "mono" : "stereo")
              + " 16-bit PCM at "
              + rate
              + " Hz for "
              + codec);
    }
  }

  /** Waits for the ready line and the control socket, then takes the one control connection. */
  private static BaresipControl connect(
      String name, PeerProcess process, int ctrlPort, Duration timeout) {
    Boolean ready =
        Await.poll(
            timeout,
            () ->
                !process.isAlive()
                    ? Boolean.FALSE
                    : (BoundPorts.tcpListening(ctrlPort) && process.readLog().contains(READY_LINE))
                        ? Boolean.TRUE
                        : null);
    if (!Boolean.TRUE.equals(ready)) {
      throw process.isAlive()
          ? process.failure("was not ready within " + timeout)
          : process.failure("exited before it was ready");
    }
    try {
      return new BaresipControl(name, ctrlPort);
    } catch (IOException e) {
      throw new PeerException(
          name + ": connecting to ctrl_tcp 127.0.0.1:" + ctrlPort + " failed", e);
    }
  }

  private static void awaitRegistration(
      PeerProcess process, BaresipControl control, BaresipOptions options) {
    BaresipEvent outcome;
    try {
      outcome =
          control.awaitEvent(
              e -> e.is("REGISTER_OK") || e.is("REGISTER_FAIL"), options.startTimeout());
    } catch (PeerException e) {
      throw process.failure("did not register at " + options.registrar() + ": " + e.getMessage());
    }
    if (outcome.is("REGISTER_FAIL")) {
      throw process.failure(
          "registration at " + options.registrar() + " failed: " + outcome.param());
    }
  }

  /**
   * {@code sip:<user>@127.0.0.1:<port>}: reaches this baresip directly, bypassing any registrar.
   */
  public String sipUri() {
    return "sip:" + options.user() + "@127.0.0.1:" + port;
  }

  /** The account's address of record: at the registrar when registering, else {@link #sipUri()}. */
  public String aor() {
    return aor;
  }

  public String user() {
    return options.user();
  }

  /** The SIP port (UDP and TCP). */
  /**
   * The lowest of the UDP ports baresip takes its RTP (and RTCP) ports from.
   *
   * @return the port
   */
  public int rtpPortFirst() {
    return rtpFirst;
  }

  /**
   * The highest of them.
   *
   * @return the port
   */
  public int rtpPortLast() {
    return rtpFirst + RTP_PORTS - 1;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** Its config, log ({@code baresip-<user>.log}), audio source and recordings. */
  public Path runDir() {
    return runDir;
  }

  /** Places a call to {@code uri}; follow it with {@link #awaitEvent}. */
  public void dial(String uri) {
    require(command("dial", uri), "dial " + uri);
  }

  /** Hangs up the current call (CANCEL, reject or BYE as its state needs). */
  public void hangup() {
    require(command("hangup", null), "hangup");
  }

  /**
   * Sends DTMF digits in the current call ({@code sndcode}): RFC 4733 telephone-events when the
   * call negotiated them, else SIP INFO. baresip presses and releases each digit at once, so the
   * far end sees short digits.
   */
  public void sendDigits(String digits) {
    require(command("sndcode", digits), "sndcode " + digits);
  }

  /** The DTMF digits received so far (one per CALL_DTMF_START), in order. */
  public String digitsReceived() {
    StringBuilder digits = new StringBuilder();
    for (BaresipEvent e : events()) {
      if (e.is("CALL_DTMF_START") && e.param() != null) {
        digits.append(e.param());
      }
    }
    return digits.toString();
  }

  /** Answers the ringing incoming call (with {@code withAutoAnswer(false)}). */
  public void accept() {
    require(command("accept", null), "accept");
  }

  /**
   * Runs any command of baresip's menu, e.g. {@code command("transfer", "sip:carol@…")} during a
   * call, and returns its response.
   */
  public BaresipResponse command(String command, String params) {
    if (!process.isAlive()) {
      throw process.failure("is not running, cannot run '" + command + "'");
    }
    return control.command(command, params, COMMAND_TIMEOUT);
  }

  /** Every event received since the account was created, oldest first. */
  public List<BaresipEvent> events() {
    return control.events();
  }

  /**
   * The first event so far, or arriving within {@code timeout}, that matches {@code filter}.
   *
   * @throws PeerException listing the events received when none matches in time
   */
  public BaresipEvent awaitEvent(Predicate<BaresipEvent> filter, Duration timeout) {
    return control.awaitEvent(filter, timeout);
  }

  /** The first event of {@code type} so far or within {@code timeout}. */
  public BaresipEvent awaitEvent(String type, Duration timeout) {
    return awaitEvent(e -> e.is(type), timeout);
  }

  /**
   * The {@code rtcpsummary} line of the {@code n}th call with RTP (0 = the first) that closed, as
   * it appears in baresip's log, within {@code timeout}.
   *
   * @throws PeerException with the log tail when it does not come
   */
  public RtcpSummary awaitRtcpSummary(int n, Duration timeout) {
    String line =
        Await.poll(
            timeout,
            () -> {
              List<String> found =
                  process.readLog().stream().filter(l -> l.contains(RtcpSummary.PREFIX)).toList();
              return found.size() > n ? found.get(n) : null;
            });
    if (line == null) {
      throw process.failure("printed no rtcpsummary line for call " + n + " within " + timeout);
    }
    return RtcpSummary.parse(line);
  }

  /** The recordings of received audio ({@code …-dec.wav}), oldest first; complete or not. */
  public List<Path> recordings() {
    return listRecordings("-dec.wav");
  }

  /** The recordings of the audio baresip sent ({@code …-enc.wav}), oldest first. */
  public List<Path> sentRecordings() {
    return listRecordings("-enc.wav");
  }

  /**
   * Waits until there is at least one recording of received audio and all of them are complete:
   * sndfile writes the WAV sizes when the call's audio stops, so until then the header does not
   * match the file.
   *
   * @throws PeerException naming the recordings and their state when the time runs out
   */
  public List<Path> awaitRecordingComplete(Duration timeout) {
    List<Path> done =
        Await.poll(
            timeout,
            Duration.ofMillis(50),
            () -> {
              List<Path> all = recordings();
              return !all.isEmpty() && all.stream().allMatch(RecordingState::isComplete)
                  ? all
                  : null;
            });
    if (done == null) {
      throw new PeerException(
          options.user()
              + ": no complete recording within "
              + timeout
              + "; recordings: "
              + RecordingState.describe(recordings()));
    }
    return done;
  }

  private List<Path> listRecordings(String suffix) {
    try (Stream<Path> files = Files.list(recordingsDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + recordingsDir, e);
    }
  }

  private static void require(BaresipResponse response, String what) {
    if (!response.ok()) {
      throw new PeerException("baresip refused '" + what + "': " + response.data());
    }
  }

  /** Every process baresip consisted of, to prove they are gone after {@link #close()}. */
  public List<ProcessHandle> processes() {
    return process.handles();
  }

  /**
   * Closes the control connection, stops baresip (SIGTERM, then SIGKILL after a bound) and removes
   * its run directory with the recordings.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      control.close();
    } finally {
      process.close();
      RunDirs.release(runDir);
    }
  }

  @Override
  public String toString() {
    return "Baresip[" + aor + ", pid " + pid() + "]";
  }
}
