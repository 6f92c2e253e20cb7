package org.sipline.backend.pjsip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that moves audio between the core and the shim's per-call ring buffers.
 *
 * <pre>
 *   AudioSource.read ──push──▶ tx ring ──▶ pjsua bridge (20 ms) ──▶ RTP
 *   AudioSource.sent/skipped ◀── tx log (frame taken / tick served with silence)
 *   AudioSink.write/missing ◀──pull── rx ring (+ concealed flag) ◀── pjsua bridge ◀── RTP
 * </pre>
 *
 * <p>Frames are 20 ms at the call's audio rate ({@link PjsipCall#audioRate()}: 8 kHz for G.711, 16
 * kHz for G.722 and Opus), the rate of the call's port in the shim; recordings keep it.
 *
 * <p>It sleeps in the shim until the bridge has taken a frame, so it runs on pjsua's media clock
 * and never drifts from it. Per call and wake-up it first reports what became of the frames it
 * pushed ({@code sent(true)} for a frame the bridge took into a stream that sends: the bridge hands
 * it to the stream, which encodes and sends its RTP packet in the same tick; {@code sent(false)}
 * when the stream does not send; {@code skipped(n)} for ticks the bridge served with silence
 * because this thread was late), then reads the next frame: one frame ahead of the bridge, so that
 * every frame read is reported sent before the next one is read, as {@link AudioSource} expects.
 * Received frames go to the sink; the caller's frames pjmedia concealed (lost packets), discarded
 * (its jitter buffer shrinking) or that overflowed the ring are reported as {@link
 * AudioSink#missing} instead; frames pjmedia made up while its jitter buffer ran empty (late
 * packets, which still come) are neither, since they are no part of the caller's timeline. It also
 * completes RFC 4733 digits once pjmedia has sent their end packets, ends calls that received no
 * RTP for the configured media timeout, and writes each call's received audio to {@code
 * <recordingsDir>/<Call-ID>.wav} when recordings are on (missing frames as silence).
 */
final class MediaPump implements Runnable {
  /**
   * Frames kept queued ahead of the bridge. One: a frame is read only after the previous one was
   * taken, so played positions are exact; the cost is that a wake-up later than 20 ms makes the
   * bridge send a tick of silence (reported as skipped).
   */
  static final int TX_AHEAD = 1;

  private static final int WAIT_MS = 100;

  /** RTP counters are sampled about once a second: cheap, and precise enough for a timeout. */
  private static final long RTP_CHECK_NANOS = 1_000_000_000L;

  private static final Logger log = LoggerFactory.getLogger(MediaPump.class);

  private final Shim shim;
  private final Handles handles;
  private final long mediaTimeoutNanos;
  private final Path recordingsDir;

  /** Open recordings, by call; touched by this thread only. */
  private final Map<PjsipCall, WavRecording> recordings = new HashMap<>();

  /** media.realtime: the SCHED_FIFO priority this thread and pjmedia's clock ask for, 0: off. */
  private final int realtime;

  private boolean clockRealtimeLogged;

  /** Frame buffers by audio rate (one pair per rate in use: calls are pumped one at a time). */
  private final Map<Integer, short[]> txFrames = new HashMap<>();

  private final Map<Integer, short[]> rxFrames = new HashMap<>();

  /** What a recording holds for a missing frame, by rate. */
  private final Map<Integer, short[]> silence = new HashMap<>();

  private final int[] txLog = new int[32];
  private final int[] missing = new int[1];
  private volatile boolean running = true;

  MediaPump(Shim shim, Handles handles, long mediaTimeoutNanos, Path recordingsDir, int realtime) {
    this.realtime = realtime;
    this.shim = shim;
    this.handles = handles;
    this.mediaTimeoutNanos = mediaTimeoutNanos;
    this.recordingsDir = recordingsDir;
  }

  void stop() {
    running = false;
  }

  /**
   * This thread under SCHED_FIFO, as jainsip's pacer: it fills the frame the bridge takes at its
   * next tick, and a late wake-up sends silence instead. A refusal (no CAP_SYS_NICE, no
   * RLIMIT_RTPRIO) leaves it at normal priority after one warning.
   */
  private void askForRealtime() {
    if (realtime <= 0) {
      log.info("media pump at normal priority (media.realtime off)");
      return;
    }
    int result = shim.slpj_thread_realtime(realtime);
    if (result == 0) {
      log.info("media pump runs SCHED_FIFO priority {} (media.realtime)", realtime);
    } else {
      log.warn(
          "media pump could not get SCHED_FIFO priority {} (errno {}: needs CAP_SYS_NICE or an"
              + " RLIMIT_RTPRIO of at least {}); it runs at normal priority, and its audio may"
              + " skip when the machine is busy",
          realtime,
          result,
          realtime);
    }
  }

  /** Logs once how pjmedia's clock thread fared when it asked at its first tick of a call. */
  private void logClockRealtime() {
    if (clockRealtimeLogged || realtime <= 0) {
      return;
    }
    int result = shim.slpj_media_clock_realtime();
    if (result < 0) {
      return;
    }
    clockRealtimeLogged = true;
    if (result == 0) {
      log.info("pjmedia's clock thread runs SCHED_FIFO priority {} (media.realtime)", realtime);
    } else {
      log.warn(
          "pjmedia's clock thread could not get SCHED_FIFO priority {} (errno {}); it runs at"
              + " normal priority",
          realtime,
          result);
    }
  }

  @Override
  public void run() {
    askForRealtime();
    long tick = 0;
    long nextRtpCheck = System.nanoTime() + RTP_CHECK_NANOS;
    while (running) {
      tick = shim.slpj_media_wait(tick, WAIT_MS);
      logClockRealtime();
      for (PjsipCall call : handles.mediaCalls()) {
        try {
          pump(call);
        } catch (RuntimeException e) {
          log.warn(
              "audio of call {} failed; the call keeps its RTP clock with silence",
              call.callId(),
              e);
        }
      }
      closeFinishedRecordings();
      long now = System.nanoTime();
      if (mediaTimeoutNanos > 0 && now - nextRtpCheck >= 0) {
        nextRtpCheck = now + RTP_CHECK_NANOS;
        for (PjsipCall call : handles.mediaCalls()) {
          checkRtp(call, now);
        }
      }
    }
    recordings
        .keySet()
        .removeIf(
            call -> {
              closeRecording(call, recordings.get(call));
              return true;
            });
  }

  private void pump(PjsipCall call) {
    CallMedia media = call.media();
    if (media == null || call.state() == CallState.ENDED) {
      return;
    }
    int handle = call.handle();
    AudioSource source = media.source();
    int entries = shim.slpj_media_tx_log(handle, txLog, txLog.length);
    for (int i = 0; i < entries; i++) {
      if (txLog[i] >= 0) {
        source.sent(txLog[i] == 1);
      } else {
        source.skipped(-txLog[i]);
      }
    }
    int rate = call.audioRate();
    int samples = AudioFrames.frameSamples(rate);
    short[] tx = txFrames.computeIfAbsent(samples, short[]::new);
    short[] rx = rxFrames.computeIfAbsent(samples, short[]::new);
    int depth = shim.slpj_media_tx_depth(handle);
    while (depth >= 0 && depth < TX_AHEAD) {
      source.read(tx);
      depth = shim.slpj_media_push(handle, tx, samples);
    }
    AudioSink sink = media.sink();
    int got;
    while ((got = shim.slpj_media_pull(handle, rx, samples, missing)) > 0) {
      if (got == 1) {
        sink.write(rx, 0, rx.length);
        record(call, rate, rx);
      } else {
        sink.missing(missing[0] * samples);
        short[] quiet = silence.computeIfAbsent(samples, short[]::new);
        for (int i = 0; i < missing[0]; i++) {
          record(call, rate, quiet);
        }
      }
    }
    call.dtmfOut().tick(System.nanoTime());
  }

  private void record(PjsipCall call, int rate, short[] pcm) {
    if (recordingsDir == null) {
      return;
    }
    WavRecording recording = recordings.get(call);
    try {
      if (recording == null) {
        if (recordings.containsKey(call)) {
          return; // opening failed before: the call goes on unrecorded
        }
        Files.createDirectories(recordingsDir);
        recording = WavRecording.create(recordingsDir, call.callId(), rate);
        recordings.put(call, recording);
        log.info("recording received audio of call {} to {}", call.callId(), recording.path());
      }
      recording.write(pcm, 0, pcm.length);
    } catch (IOException e) {
      log.error("recording of call {} stopped; the call goes on unrecorded", call.callId(), e);
      closeRecording(call, recording);
      recordings.put(call, null);
    }
  }

  private void closeFinishedRecordings() {
    if (recordings.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<PjsipCall, WavRecording>> it = recordings.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<PjsipCall, WavRecording> e = it.next();
      if (e.getKey().state() == CallState.ENDED) {
        closeRecording(e.getKey(), e.getValue());
        it.remove();
      }
    }
  }

  private static void closeRecording(PjsipCall call, WavRecording recording) {
    if (recording == null) {
      return;
    }
    try {
      recording.close();
    } catch (IOException e) {
      log.error("closing the recording of call {} failed", call.callId(), e);
    }
  }

  private void checkRtp(PjsipCall call, long now) {
    if (call.state() != CallState.CONNECTED) {
      return;
    }
    long packets = shim.slpj_call_rx_packets(call.handle());
    if (packets < 0) {
      return;
    }
    if (call.rtpProgress(packets, now) >= mediaTimeoutNanos) {
      log.info(
          "call {}: no RTP for {} ms, sending BYE", call.callId(), mediaTimeoutNanos / 1_000_000);
      shim.slpj_call_end_media_timeout(call.handle(), CText.errorBuffer(), CText.ERROR_CAPACITY);
    }
  }
}
