package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;
import org.sipline.testing.Caller;
import org.sipline.testing.CallerScript;
import org.sipline.testing.ConformanceEnvironment;
import org.sipline.testing.ConformanceEnvironment.StrangerReply;
import org.sipline.testing.FarEnd;
import org.sipline.testing.FarEndRtp;
import org.sipline.testing.MediaFarEnd;
import org.sipline.testing.TestSignals;

/**
 * The conformance suite's world made of real programs, the same for every backend and shaped as a
 * deployment has it: the line's account registers at a Kamailio registrar with digest auth and uses
 * it as outbound proxy (so every INVITE is challenged and every dialog record-routed through it);
 * callers (SIPp UACs, one per {@link CallerScript}) dial the line at Kamailio, which finds it in
 * its location table; far ends are SIPp UASs, one per {@link FarEnd}; the live-media cases' far end
 * is a baresip ({@link MediaFarEnd}: it plays a WAV, records, sends and receives DTMF). {@link
 * #close()} stops the backend and every process.
 *
 * <pre>{@code
 * protected ConformanceEnvironment createEnvironment() {
 *   return new PeersConformanceEnvironment(MyBackend::start);
 * }
 * }</pre>
 */
public final class PeersConformanceEnvironment implements ConformanceEnvironment {
  private static final String USER = "line";
  private static final String PASSWORD = "line-secret";

  /** Four calls' RTP and RTCP ports: calls run one at a time, and the intruder sprays them all. */
  private static final int RTP_PORTS = 8;

  private final Kamailio kamailio;
  private final Function<BackendConfig, ? extends SipBackend> backendFactory;
  private final BackendConfig config;
  private SipBackend backend;
  private final int sipPort;

  /** The backend's RTP port range, known here so that an intruder can spray all of it. */
  private final int rtpMin;

  private final List<Sipp> peers = new ArrayList<>();
  private final List<Baresip> phones = new ArrayList<>();
  private final Map<FarEnd, Sipp> lastFarEnds = new EnumMap<>(FarEnd.class);

  /**
   * Starts Kamailio, then the backend that {@code backendFactory} makes from a loopback config
   * whose bounds suit SIPp peers; when the backend fails to start, Kamailio is stopped again.
   */
  public PeersConformanceEnvironment(Function<BackendConfig, ? extends SipBackend> backendFactory) {
    Objects.requireNonNull(backendFactory, "backendFactory");
    Kamailio started = Kamailio.start(KamailioOptions.defaults().withUser(USER, PASSWORD));
    // Chosen here rather than by the backend, so that a stranger knows where to knock.
    sipPort = FreePorts.sipPort();
    this.backendFactory = backendFactory;
    rtpMin = FreePorts.udpPortBlock(RTP_PORTS);
    config =
        BackendConfig.loopback()
            .sipPort(sipPort)
            .rtpPorts(rtpMin, rtpMin + RTP_PORTS - 1)
            .registerTimeout(Duration.ofSeconds(5))
            .transactionTimeout(Duration.ofSeconds(10))
            .transferTimeout(Duration.ofSeconds(10))
            .build();
    try {
      backend =
          Objects.requireNonNull(backendFactory.apply(config), "backendFactory returned null");
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
    kamailio = started;
  }

  @Override
  public synchronized SipBackend backend() {
    return backend;
  }

  @Override
  public synchronized void restartBackend(Duration mediaTimeout) {
    backend.close();
    backend =
        Objects.requireNonNull(
            backendFactory.apply(config.toBuilder().mediaTimeout(mediaTimeout).build()),
            "backendFactory returned null");
  }

  @Override
  public Credentials account() {
    return credentials(PASSWORD);
  }

  @Override
  public Credentials wrongPassword() {
    return credentials("not-" + PASSWORD);
  }

  private Credentials credentials(String password) {
    return new Credentials(USER + "@" + kamailio.hostPort(), password, "", kamailio.hostPort());
  }

  @Override
  public synchronized String callee(FarEnd behaviour) {
    Sipp uas =
        switch (behaviour) {
          case ANSWER -> uas("uas-answer.xml", SippOptions.defaults());
          case BUSY -> uas("uas-busy.xml", SippOptions.defaults());
          case RING_THEN_DECLINE ->
              uas("uas-ring-decline.xml", SippOptions.defaults().withHoldMillis(300));
          case ANSWER_THEN_BYE ->
              uas("uas-answer-then-bye.xml", SippOptions.defaults().withHoldMillis(1000));
          case TRANSFER_ACCEPT -> uas("uas-refer-accept.xml", SippOptions.defaults());
          case TRANSFER_REFUSE -> uas("uas-refer-refuse.xml", SippOptions.defaults());
          case TRANSFER_NOTIFY_FAIL -> uas("uas-refer-notify-503.xml", SippOptions.defaults());
          case REFER_FROM_FAR_END -> uas("uas-refer-from-far-end.xml", SippOptions.defaults());
          case ANSWER_WITH_HOST_NAME_IN_SDP ->
              uas("uas-answer-host-name-sdp.xml", SippOptions.defaults());
          case HOLD_THEN_RESUME ->
              uas(
                  SippScenario.resource("uas-hold-and-resume.xml")
                      .replace("[rtp_port]", "[media_port]"),
                  SippOptions.defaults());
        };
    lastFarEnds.put(behaviour, uas);
    return "bob@" + uas.hostPort();
  }

  @Override
  public String transferTarget() {
    return "carol@127.0.0.1:5999";
  }

  @Override
  public synchronized Caller call(CallerScript script) {
    SippOptions options = SippOptions.defaults().withService(USER);
    Sipp uac =
        switch (script) {
          case ANSWERED_THEN_CALLER_BYE ->
              uac("uac-call-wait-answer.xml", options.withHoldMillis(2000));
          case ANSWERED_THEN_WAIT_FOR_BYE -> uac("uac-call-callee-bye.xml", options);
          case CANCEL_WHILE_RINGING -> uac("uac-call-cancel.xml", options.withHoldMillis(500));
          case EXPECT_BUSY -> uac("uac-call-expect-busy.xml", options);
          case EXPECT_UNAVAILABLE -> uac("uac-call-expect-480.xml", options);
          case REQUIRES_SESSION_TIMER ->
              uac("uac-call-requires-timer.xml", options.withHoldMillis(2000));
        };
    return new SippCaller(uac);
  }

  /**
   * A baresip answering by itself, reached directly (through Kamailio as the line's outbound
   * proxy), whose audio source is {@code audio} followed by a minute of silence: baresip hangs up
   * when its file has played, and the cases end their calls well before.
   */
  @Override
  public synchronized MediaFarEnd mediaFarEnd(short[] audio) {
    Path dir = RunDirs.create("media-far-end");
    Path wav = dir.resolve("plays.wav");
    PcmWav.write(wav, 8000, TestSignals.concat(audio, TestSignals.silence(60 * 8000)));
    Baresip phone;
    try {
      phone =
          Baresip.start(
              BaresipOptions.defaults().withUser("media" + phones.size()).withAudioSource(wav));
    } finally {
      RunDirs.release(dir); // baresip copied the file into its own run directory
    }
    phones.add(phone);
    return new BaresipFarEnd(phone);
  }

  /** Samples of one 20 ms RTP packet at 8 kHz. */
  private static final int FRAME_SAMPLES = 160;

  /** A baresip as the suite's {@link MediaFarEnd}. */
  private final class BaresipFarEnd implements MediaFarEnd {
    private final Baresip phone;

    BaresipFarEnd(Baresip phone) {
      this.phone = phone;
    }

    @Override
    public String callee() {
      return phone.user() + "@127.0.0.1:" + phone.port();
    }

    @Override
    public void awaitMediaEstablished(Duration timeout) {
      phone.awaitEvent("CALL_RTPESTAB", timeout);
    }

    @Override
    public void sendDigits(String digits) {
      phone.sendDigits(digits);
    }

    @Override
    public String digitsReceived() {
      return phone.digitsReceived();
    }

    @Override
    public short[] recording(Duration timeout) {
      phone.awaitEvent("CALL_CLOSED", timeout);
      List<Path> recordings = phone.awaitRecordingComplete(timeout);
      try {
        return WavReader.read(Files.readAllBytes(recordings.get(recordings.size() - 1))).samples();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public FarEndRtp rtpSummary(Duration timeout) {
      phone.awaitEvent("CALL_CLOSED", timeout);
      List<Path> heard = phone.awaitRecordingComplete(timeout);
      Path said =
          Await.poll(
              timeout,
              () -> {
                List<Path> all = phone.sentRecordings();
                return !all.isEmpty() && RecordingState.isComplete(all.get(all.size() - 1))
                    ? all.get(all.size() - 1)
                    : null;
              });
      if (said == null) {
        throw new PeerException(
            phone + ": no complete recording of what it sent within " + timeout);
      }
      // sndfile records every frame baresip encodes (one packet each) and every one it decodes
      // (jitter_buffer_delay 0-0: as each packet arrives). rtcpsummary's counts would be only as
      // of the last RTCP baresip received, none at all in a call shorter than a report interval.
      return new FarEndRtp(frames(said), frames(heard.get(heard.size() - 1)));
    }

    private static long frames(Path wav) {
      try {
        return WavReader.read(Files.readAllBytes(wav)).samples().length / FRAME_SAMPLES;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      synchronized (PeersConformanceEnvironment.this) {
        if (phones.remove(phone)) {
          phone.close();
        }
      }
    }
  }

  @Override
  public boolean awaitFarEndSucceeded(FarEnd behaviour, Duration timeout) {
    Sipp uas;
    synchronized (this) {
      uas = lastFarEnds.get(behaviour);
    }
    if (uas == null) {
      return false;
    }
    try {
      uas.awaitSuccess(timeout);
      return true;
    } catch (PeerException e) {
      return false;
    }
  }

  /** From {@link Stranger#HOST} (127.0.0.2), which is not Kamailio's host (127.0.0.1). */
  @Override
  public StrangerReply strangerSends(String method, Duration listen) {
    return Stranger.send(method, USER, "127.0.0.1", sipPort, listen);
  }

  /** From 127.0.0.1, Kamailio's host: trusted, so that it is the SDP that is judged. */
  @Override
  public StrangerReply offerWithHostNameSends(Duration listen) {
    return Stranger.sendFrom(
        "127.0.0.1", "INVITE", USER, "127.0.0.1", sipPort, "media.sipline.invalid", listen);
  }

  @Override
  public AutoCloseable rtpIntruder() {
    return RtpIntruder.start(rtpMin, rtpMin + RTP_PORTS - 1);
  }

  @Override
  public List<String> forgedOkSends(Duration listen) {
    return ForgedAnswer.send(USER, "127.0.0.1", sipPort, listen);
  }

  @Override
  public boolean awaitUnregistered(Duration timeout) {
    try {
      kamailio.awaitUnregistered(USER, timeout);
      return true;
    } catch (PeerException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    try {
      backend.close();
    } finally {
      peers.forEach(Sipp::close);
      peers.clear();
      lastFarEnds.clear();
      phones.forEach(Baresip::close);
      phones.clear();
      kamailio.close();
    }
  }

  private Sipp uas(String scenario, SippOptions options) {
    return uas(SippScenario.resource(scenario), options);
  }

  private Sipp uas(SippScenario scenario, SippOptions options) {
    Sipp sipp = Sipp.uas(scenario, options);
    peers.add(sipp);
    return sipp;
  }

  private Sipp uac(String scenario, SippOptions options) {
    // Through the registrar: Kamailio looks the line up and relays the call to its Contact.
    Sipp sipp = Sipp.uac(SippScenario.resource(scenario), kamailio.hostPort(), options);
    peers.add(sipp);
    return sipp;
  }

  private synchronized void release(Sipp sipp) {
    // Closed once: by its Caller when the test closes it, else with the environment.
    if (peers.remove(sipp)) {
      sipp.close();
    }
  }

  /** A SIPp UAC as the suite's {@link Caller}. */
  private final class SippCaller implements Caller {
    private final Sipp sipp;
    private volatile String verdict = "still running";

    SippCaller(Sipp sipp) {
      this.sipp = sipp;
    }

    @Override
    public boolean awaitSuccess(Duration timeout) {
      try {
        verdict = sipp.awaitSuccess(timeout).toString();
        return true;
      } catch (PeerException e) {
        verdict = e.getMessage();
        return false;
      }
    }

    @Override
    public String describe() {
      return sipp + ": " + verdict;
    }

    @Override
    public void close() {
      release(sipp);
    }
  }
}
