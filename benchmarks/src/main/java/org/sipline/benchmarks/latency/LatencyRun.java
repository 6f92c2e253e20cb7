package org.sipline.benchmarks.latency;

import com.google.common.util.concurrent.ListenableFuture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.benchmarks.audio.SignalWav;
import org.sipline.benchmarks.callrate.IncomingCalls;
import org.sipline.benchmarks.harness.Await;
import org.sipline.benchmarks.harness.ProcStat;
import org.sipline.benchmarks.harness.SippPeer;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.harness.UdpSinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One latency run through the real stack: the server jar with the jainsip backend, registered with
 * a SIPp registrar, calling a SIPp callee whose SDP sends the RTP to a sink, all on loopback and
 * captured by tshark. Each request's time is taken just before its RPC is sent; the wire event it
 * causes is found in the capture afterwards.
 *
 * <pre>
 *   harness ── gRPC ──→ server jar ── INVITE ──→ SIPp callee      (capture: INVITE)
 *                                  ── RTP ─────→ sink             (capture: RTP payloads)
 *            [load process: N more calls on the same machine, --beside-calls]
 * </pre>
 */
final class LatencyRun {
  private static final Logger log = LoggerFactory.getLogger(LatencyRun.class);

  /** How long the capture may take to write the INVITEs already sent. */
  private static final Duration CAPTURE_FLUSH = Duration.ofSeconds(30);

  /** Enough for a whole SIP INVITE, so its Call-ID is in the capture. */
  private static final int SNAP_LENGTH = 4096;

  private static final int PROMPT_MILLIS = 100;

  /**
   * Incoming calls per second: one at a time on the one line, each over (BYE answered, the line
   * ready again) well before the next, so none finds the line busy.
   */
  private static final int INCOMING_RATE = 10;

  private static final int INCOMING_HOLD_MS = 20;

  /** Silence let pass after a prompt, so the next one starts from silence (a talkspurt). */
  private static final Duration QUIET = Duration.ofMillis(60);

  /** Audio let flow after SipUnMute before SipMute is timed. */
  private static final Duration AUDIBLE = Duration.ofMillis(100);

  /** One packet time: the span a request's phase against the pacer's ticks is spread over. */
  private static final long FRAME_MICROS = 20_000;

  /** Fixed seeds: every run spreads its requests the same way. */
  private static final long PLAY_SEED = 4733;

  private static final long MUTE_SEED = 3551;

  private LatencyRun() {}

  static LatencyResult run(LatencyOptions o, Path dir) throws Exception {
    Files.createDirectories(dir);
    byte[] prompt = SignalWav.speechLike(8000, 1, PROMPT_MILLIS);
    int muteRounds = o.warmup() + o.samples();
    byte[] longPrompt =
        SignalWav.speechLike(
            8000, 1, (int) (muteRounds * (AUDIBLE.toMillis() + QUIET.toMillis() + 100) + 30_000));
    try (UdpSinks sinks = UdpSinks.bind(3);
        SippPeer registrar = SippPeer.registrar(dir);
        SippPeer callee = SippPeer.callee(dir, "callee", sinks.port(0));
        BesideLoad beside =
            o.besideCalls() == 0
                ? null
                : BesideLoad.start(
                    dir.resolve("beside"), o.besideCalls(), sinks.port(1), registrar.port());
        ServerProcess server =
            ServerProcess.start(dir, o.serverJar(), serverJvm(o), List.of(), o.backend());
        TsharkCapture capture =
            TsharkCapture.start(
                dir,
                List.of(sinks.port(0), callee.port()),
                List.of(server.grpcPort()),
                SNAP_LENGTH)) {
      double loadBefore = ProcStat.loadAverage();
      SipClient sip = new SipClient(server.channel());
      String calleeUri = "sip:callee@127.0.0.1:" + callee.port();
      sip.registerAndStartSession("bench@127.0.0.1:" + registrar.port());

      log.info("SipStartCall → INVITE: {} + {} warm-up calls", o.samples(), o.warmup());
      // Every Call-ID placed (the status's nlu_session_name is the Call-ID by default).
      List<String> callIds = new ArrayList<>();
      long[] calls = startCalls(sip, calleeUri, o, callIds);
      long[][] incoming = {new long[0], new long[0]};
      if (o.incoming()) {
        log.info("incoming INVITE → 180 / 200: {} + {} warm-up calls", o.samples(), o.warmup());
        incoming = incomingCalls(dir, server.sipPort(), sinks.port(2), o);
      }
      long[] plays = new long[0];
      long[] mutes = new long[0];
      long[] status = new long[0];
      long[] health = new long[0];
      if (!o.startCallOnly()) {
        callIds.add(sip.startCall(calleeUri).getNluSessionName());
        sip.awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
        log.info("SipPlayWavFiles → new audio: {} + {} warm-up prompts", o.samples(), o.warmup());
        plays = plays(sip, prompt, o);
        log.info("SipMute → silence: {} + {} warm-up mutes", o.samples(), o.warmup());
        mutes = mutes(sip, longPrompt, o);
        log.info(
            "SipGetSipStatus round trip: {} + {} warm-up", o.statusSamples(), o.statusWarmup());
        status = roundTrips(sip::status, o);
        log.info(
            "gRPC health check round trip: {} + {} warm-up", o.statusSamples(), o.statusWarmup());
        health = roundTrips(sip::health, o);
        sip.hardHangupAndAwaitReady();
      }
      double loadAfter = ProcStat.loadAverage();
      if (beside != null) {
        beside.stop();
      }

      WireEvents wire =
          WireEvents.read(
              capture, sinks.port(0), callee.port(), server.grpcPort(), callIds, CAPTURE_FLUSH);
      // The same events timed from when each request reached the server: sipline's own share,
      // without the client's gRPC stack (waking its event loop, writing the request).
      long[] callsIn = Matching.arrivals(calls, wire.grpcSegments());
      long[] playsIn = Matching.arrivals(plays, wire.grpcSegments());
      long[] mutesIn = Matching.arrivals(mutes, wire.grpcSegments());
      return new LatencyResult(
          Matching.invites(calls, wire.invites()),
          Matching.invites(callsIn, wire.invites()),
          incoming[0],
          incoming[1],
          Matching.rtp(plays, wire.rtp(), p -> !p.silent()),
          Matching.rtp(mutes, wire.rtp(), WireEvents.Rtp::silent),
          Matching.rtp(playsIn, wire.rtp(), p -> !p.silent()),
          Matching.rtp(mutesIn, wire.rtp(), WireEvents.Rtp::silent),
          status,
          health,
          loadBefore,
          loadAfter,
          o.besideCalls());
    }
  }

  private static long[] startCalls(
      SipClient sip, String calleeUri, LatencyOptions o, List<String> callIds)
      throws InterruptedException, TimeoutException {
    long[] at = new long[o.samples()];
    for (int i = -o.warmup(); i < o.samples(); i++) {
      long t = now();
      callIds.add(sip.startCall(calleeUri).getNluSessionName());
      if (i >= 0) {
        at[i] = t;
      }
      sip.awaitStatus(StatusType.OUTGOING_CALL_CONNECTED);
      sip.hardHangupAndAwaitReady();
    }
    return at;
  }

  /**
   * A SIPp caller calls the line's account straight at the server's SIP port, one call at a time
   * ({@link #INCOMING_RATE} per second, held {@link #INCOMING_HOLD_MS} ms, then SIPp's BYE); the
   * line answers at once (auto-answer 0). Its times are SIPp's, from the INVITE's send to the 180
   * and to the 200, the same way as the call-rate harness's.
   *
   * @return INVITE → 180 and INVITE → 200 per measured call, in nanoseconds
   */
  private static long[][] incomingCalls(Path dir, int sipPort, int sinkPort, LatencyOptions o)
      throws IOException, InterruptedException {
    int count = o.warmup() + o.samples();
    try (IncomingCalls sipp =
        IncomingCalls.start(
            dir.resolve("incoming"),
            "incoming",
            "127.0.0.1:" + sipPort,
            "bench",
            INCOMING_RATE,
            count,
            1,
            INCOMING_HOLD_MS,
            sinkPort)) {
      Duration bound = Duration.ofSeconds(count / INCOMING_RATE + 60);
      int exit = sipp.awaitExit(bound);
      IncomingCalls.Outcome outcome = sipp.outcome(o.warmup());
      if (exit != 0) {
        log.warn("incoming calls: SIPp exit {}; errors: {}", exit, outcome.errors());
      }
      return new long[][] {nanos(outcome.ringMicros()), nanos(outcome.answerMicros())};
    }
  }

  private static long[] nanos(long[] micros) {
    long[] n = new long[micros.length];
    for (int i = 0; i < micros.length; i++) {
      n[i] = micros[i] * 1000;
    }
    return n;
  }

  private static long[] plays(SipClient sip, byte[] prompt, LatencyOptions o)
      throws InterruptedException {
    long[] at = new long[o.samples()];
    SplittableRandom phase = new SplittableRandom(PLAY_SEED);
    for (int i = -o.warmup(); i < o.samples(); i++) {
      // A played prompt's RPC returns just after a pacer tick; a fixed pause would put every
      // request at the same phase of the 20 ms frame and bias the delay. A random one spreads
      // the requests evenly over the frame, as a client's would be.
      Await.elapse(QUIET.plusNanos(phase.nextLong(FRAME_MICROS) * 1000));
      long t = now();
      sip.play(prompt);
      if (i >= 0) {
        at[i] = t;
      }
    }
    return at;
  }

  private static long[] mutes(SipClient sip, byte[] longPrompt, LatencyOptions o)
      throws InterruptedException {
    long[] at = new long[o.samples()];
    ListenableFuture<SipStatus> playing = sip.playInBackground(longPrompt);
    try {
      SplittableRandom phase = new SplittableRandom(MUTE_SEED);
      for (int i = -o.warmup(); i < o.samples(); i++) {
        Await.elapse(AUDIBLE.plusNanos(phase.nextLong(FRAME_MICROS) * 1000));
        long t = now();
        sip.mute();
        if (i >= 0) {
          at[i] = t;
        }
        Await.elapse(QUIET);
        sip.unmute();
      }
      if (playing.isDone()) {
        throw new IllegalStateException(
            "the long prompt ended before the mutes did: the run"
                + " would have measured mutes of silence");
      }
    } finally {
      // Cancelling the RPC is the API's barge-in: the rest of the prompt is dropped.
      playing.cancel(true);
    }
    return at;
  }

  /**
   * Round trips of one unary call, timed at the client; the first {@code statusWarmup} not kept.
   */
  private static long[] roundTrips(Runnable call, LatencyOptions o) {
    long[] rtt = new long[o.statusSamples()];
    for (int i = -o.statusWarmup(); i < o.statusSamples(); i++) {
      long t0 = System.nanoTime();
      call.run();
      long t1 = System.nanoTime();
      if (i >= 0) {
        rtt[i] = t1 - t0;
      }
    }
    return rtt;
  }

  private static long now() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** The server's JVM flags, with the pjsip shim's folder on JNA's path when it runs pjsip. */
  private static List<String> serverJvm(LatencyOptions o) {
    List<String> jvm = new ArrayList<>(o.serverJvm());
    if (o.backend().equals("pjsip")) {
      jvm.add("-Djna.library.path=" + o.pjsipNative());
    }
    return jvm;
  }
}
