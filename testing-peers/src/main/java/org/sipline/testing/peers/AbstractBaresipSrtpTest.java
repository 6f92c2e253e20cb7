package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.testing.AudioCompare;
import org.sipline.testing.CollectingSink;
import org.sipline.testing.ScriptedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRTP with baresip's {@code srtp} module ({@code mediaenc=srtp-mand}: RTP/SAVP, SDES keys) through
 * the SPI, for every backend as {@code AbstractBackendConformanceTest} is for the conformance
 * suite: a call each way carries audio both ways intact (correlation ≥ 0.9), and a capture of
 * baresip's RTP ports holds none of either side's μ-law bytes ({@link PlainMuLaw}); the same check
 * with SRTP off and the same kind of signals finds them, so it can fail. A backend extends it with
 * its line ({@link #openLine}), its capture ({@link #captureRtp}) and, where it writes a log of its
 * own, the check that no key is in it ({@link #assertNoKeyIn}).
 */
public abstract class AbstractBaresipSrtpTest {
  private static final Logger log = LoggerFactory.getLogger(AbstractBaresipSrtpTest.class);

  /** How long each step of a call may take. */
  protected static final Duration WAIT = Duration.ofSeconds(15);

  /** The user part of the line {@link #openLine} sets up: baresip calls it by this name. */
  protected static final String LINE_USER = "srtp-line";

  private static final int RATE = AudioFrames.SAMPLE_RATE;
  // Ours ends well before baresip's: baresip hangs up about a second after its file (FACTS.md).
  private static final int OUR_FRAMES = 80;
  private static final int THEIR_FRAMES = 100;
  private static final double MIN_CORRELATION = 0.9;

  /** Creates the case set; the backend comes from {@link #openLine} per call. */
  protected AbstractBaresipSrtpTest() {}

  /**
   * A backend with one line on it (user {@value #LINE_USER}), ready to call baresip and to be
   * called by it from 127.0.0.1: registered, or with a registrar that never answers (the line still
   * takes calls from its registrar's host).
   *
   * @param dir the call's own directory, for the backend's files (logs)
   * @param mode the backend's {@code --srtp}
   * @param events the listener to register the line with; the registration's own event (success or
   *     failure) is the implementation's to await
   * @return the line, closing the backend when closed
   * @throws Exception when the backend or the line cannot be set up
   */
  protected abstract SrtpLine openLine(Path dir, SrtpMode mode, Events events) throws Exception;

  /**
   * Starts capturing the UDP datagrams to and from {@code firstPort..lastPort} on {@code lo}.
   *
   * @param dir where the capture may write its files
   * @param firstPort the first of baresip's RTP ports
   * @param lastPort the last of them
   * @return the running capture
   * @throws Exception when the capture does not start
   */
  protected abstract RtpCapture captureRtp(Path dir, int firstPort, int lastPort) throws Exception;

  /**
   * Checks, after an SRTP call and once the backend is closed, that nothing the backend wrote into
   * {@code dir} holds a key. Nothing by default (a backend writing no log of its own).
   *
   * @param dir the directory the backend was given in {@link #openLine}
   * @throws Exception when the files cannot be read
   */
  protected void assertNoKeyIn(Path dir) throws Exception {}

  /** A line of the backend under test, and what to close with it. */
  public static final class SrtpLine implements AutoCloseable {
    private final SipAccount account;
    private final int sipPort;
    private final Closer resources;

    /**
     * A line and its backend.
     *
     * @param account the line
     * @param sipPort the backend's SIP port on 127.0.0.1 (UDP), where baresip calls
     * @param resources closed with the line: the backend and anything it needed
     */
    public SrtpLine(SipAccount account, int sipPort, Closer resources) {
      this.account = account;
      this.sipPort = sipPort;
      this.resources = resources;
    }

    @Override
    public void close() {
      resources.close();
    }
  }

  /** What closes a line's backend and whatever it needed; throws nothing checked. */
  @FunctionalInterface
  public interface Closer extends AutoCloseable {
    @Override
    void close();
  }

  /** The datagrams of a running capture. */
  public interface RtpCapture extends AutoCloseable {
    /**
     * Stops the capture.
     *
     * @return every UDP payload captured, in order
     * @throws Exception when the capture cannot be read
     */
    List<byte[]> stopAndRead() throws Exception;

    @Override
    void close();
  }

  /** Records the line's events as short strings, in order (e.g. {@code "callEnded REMOTE_BYE"}). */
  public static final class Events implements SipEventListener {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private volatile SipCall lastIncoming;

    /** Records nothing yet. */
    public Events() {}

    /**
     * The next event.
     *
     * @param timeout how long to wait for it
     * @return the event, e.g. {@code "registrationFailed …"} or {@code "registered"}
     * @throws InterruptedException when interrupted while waiting
     */
    public String next(Duration timeout) throws InterruptedException {
      String event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(event).as("an event within %s", timeout).isNotNull();
      return event;
    }

    @Override
    public void registered(SipAccount account, int expiresSeconds) {
      events.add("registered");
    }

    @Override
    public void registrationFailed(SipAccount account, SipFailure failure) {
      events.add("registrationFailed " + failure);
    }

    @Override
    public void incomingCall(SipCall call, IncomingCall info) {
      lastIncoming = call;
      events.add("incomingCall");
    }

    @Override
    public void callRinging(SipCall call, int statusCode, String reason) {
      events.add("callRinging " + statusCode);
    }

    @Override
    public void callConnected(SipCall call) {
      events.add("callConnected");
    }

    @Override
    public void callFailed(SipCall call, SipFailure failure) {
      events.add("callFailed " + failure);
    }

    @Override
    public void callEnded(SipCall call, CallEnd cause, String description) {
      events.add("callEnded " + cause);
    }
  }

  /** What one call showed. */
  protected record Outcome(
      double oursAtThem, double theirsAtUs, boolean oursInClear, boolean theirsInClear) {}

  @Test
  void weCallBaresipWithSrtpAudioGoesBothWaysAndNothingCrossesInTheClear(@TempDir Path dir)
      throws Exception {
    assertSecure(call(dir, SrtpMode.REQUIRE, "srtp-mand", true), dir);
  }

  @Test
  void baresipCallsUsWithSrtpAudioGoesBothWaysAndNothingCrossesInTheClear(@TempDir Path dir)
      throws Exception {
    assertSecure(call(dir, SrtpMode.OFFER, "srtp-mand", false), dir);
  }

  @Test
  void withSrtpOffTheSameCheckFindsTheG711BytesOfBothSides(@TempDir Path dir) throws Exception {
    Outcome o = call(dir, SrtpMode.OFF, null, true);
    assertThat(o.oursAtThem()).isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.theirsAtUs()).isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.oursInClear()).as("our PCMU in the capture").isTrue();
    assertThat(o.theirsInClear()).as("baresip's PCMU in the capture").isTrue();
  }

  /**
   * Audio both ways intact, neither side's μ-law in the capture, no key in the backend's files.
   *
   * @param o the call's outcome
   * @param dir the call's directory
   * @throws Exception when the backend's files cannot be read
   */
  protected final void assertSecure(Outcome o, Path dir) throws Exception {
    assertThat(o.oursAtThem()).as("our audio at baresip").isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.theirsAtUs()).as("baresip's audio at us").isGreaterThanOrEqualTo(MIN_CORRELATION);
    assertThat(o.oursInClear()).as("our PCMU in the capture").isFalse();
    assertThat(o.theirsInClear()).as("baresip's PCMU in the capture").isFalse();
    assertNoKeyIn(dir);
  }

  /**
   * One call with baresip, each side playing a signal of this run's own, captured on baresip's RTP
   * ports; returns once baresip hung up (a second after its file) and the backend is closed.
   *
   * @param dir the call's directory
   * @param mode our {@code --srtp}
   * @param mediaEncryption baresip's {@code mediaenc} ({@code srtp}, {@code srtp-mand}) or null
   * @param weCall whether we call baresip (else baresip calls us)
   * @return what the call showed
   * @throws Exception when a step fails
   */
  protected final Outcome call(Path dir, SrtpMode mode, String mediaEncryption, boolean weCall)
      throws Exception {
    // Signals of this run alone: other tests on lo cannot have sent these bytes.
    Random random = new Random(System.nanoTime());
    short[] ours = signal(random, OUR_FRAMES);
    short[] theirs = signal(random, THEIR_FRAMES);
    Path theirWav = dir.resolve("theirs.wav");
    // baresip plays its file from its own answer or dial, which may be before our media runs,
    // and hangs up soon after its end: silence around the signal keeps all of it in the call.
    short[] file = new short[RATE / 2 + theirs.length + RATE];
    System.arraycopy(theirs, 0, file, RATE / 2, theirs.length);
    PcmWav.write(theirWav, RATE, file);
    Events events = new Events();
    CollectingSink sink = new CollectingSink();
    ScriptedSource source = new ScriptedSource(ours);
    List<byte[]> payloads;
    short[] heard;
    try (SrtpLine line = openLine(dir, mode, events);
        Baresip phone =
            Baresip.start(
                BaresipOptions.defaults()
                    .withUser("srtp-phone")
                    .withAudioSource(theirWav)
                    .withMediaEncryption(mediaEncryption))) {
      CallMedia media = new CallMedia(source, sink);
      try (RtpCapture capture = captureRtp(dir, phone.rtpPortFirst(), phone.rtpPortLast())) {
        if (weCall) {
          line.account.call(SipUri.of(phone.user(), "127.0.0.1", phone.port()), Map.of(), media);
          assertThat(events.next(WAIT)).startsWith("callRinging");
        } else {
          phone.dial("sip:" + LINE_USER + "@127.0.0.1:" + line.sipPort);
          assertThat(events.next(WAIT)).isEqualTo("incomingCall");
          events.lastIncoming.answer(media);
        }
        assertThat(events.next(WAIT)).isEqualTo("callConnected");
        // baresip hangs up about a second after its file has played (FACTS.md).
        assertThat(events.next(WAIT)).isEqualTo("callEnded REMOTE_BYE");
        assertThat(source.finished()).as("our signal played before baresip hung up").isTrue();
        phone.awaitEvent("CALL_CLOSED", WAIT);
        payloads = capture.stopAndRead();
      }
      List<Path> recordings = phone.awaitRecordingComplete(WAIT);
      assertThat(recordings).hasSize(1);
      heard = readWav(recordings.get(0));
    }
    double oursAtThem =
        AudioCompare.bestMatch(ours, heard, RATE, Duration.ofSeconds(3)).correlation();
    double theirsAtUs =
        AudioCompare.bestMatch(theirs, sink.samples(), RATE, Duration.ofSeconds(3)).correlation();
    boolean oursInClear = PlainMuLaw.foundIn(ours, payloads);
    boolean theirsInClear = PlainMuLaw.foundIn(theirs, payloads);
    log.info(
        "FIGURE {} srtp {} ({}, {}): ours at baresip {}, baresip's at us {}, {} datagrams captured,"
            + " our PCMU in clear {}, baresip's {}",
        getClass().getSimpleName(),
        mode.flag(),
        mediaEncryption,
        weCall ? "we call" : "baresip calls",
        String.format("%.3f", oursAtThem),
        String.format("%.3f", theirsAtUs),
        payloads.size(),
        oursInClear,
        theirsInClear);
    assertThat(payloads.size()).as("RTP captured").isGreaterThan(OUR_FRAMES);
    return new Outcome(oursAtThem, theirsAtUs, oursInClear, theirsInClear);
  }

  /** A tone sweep with noise of this run's own, loud enough that no byte run is trivial. */
  private static short[] signal(Random random, int frames) {
    short[] s = new short[frames * AudioFrames.FRAME_SAMPLES];
    double start = 300 + random.nextInt(500);
    for (int i = 0; i < s.length; i++) {
      double t = i / (double) RATE;
      s[i] =
          (short)
              (6000 * Math.sin(2 * Math.PI * (200 + 4000 * t) * t)
                  + 6000 * Math.sin(2 * Math.PI * (start + 90 * t) * t)
                  + random.nextInt(801)
                  - 400);
    }
    return s;
  }

  private static short[] readWav(Path wav) throws IOException {
    return WavReader.read(Files.readAllBytes(wav)).samples();
  }
}
