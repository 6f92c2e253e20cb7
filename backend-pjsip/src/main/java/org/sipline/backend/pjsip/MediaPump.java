package org.sipline.backend.pjsip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.CallMedia;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that moves audio between the core and the shim's per-call ring buffers.
 *
 * <pre>
 *   AudioSource.read ──push──▶ tx ring ──▶ pjsua bridge (8 kHz, 20 ms) ──▶ G.711 RTP
 *   AudioSink.write ◀──pull── rx ring ◀── pjsua bridge ◀── G.711 RTP
 * </pre>
 *
 * It sleeps in the shim until the bridge has taken a frame, then tops every call's transmit ring up
 * to {@link #TX_AHEAD} frames, so it runs on pjsua's media clock and never drifts from it. It also
 * ends calls that received no RTP for the configured media timeout, and writes each call's received
 * audio to {@code <recordingsDir>/<Call-ID>.wav} when recordings are on.
 */
final class MediaPump implements Runnable {
  /** Frames kept queued ahead of the bridge: absorbs this thread's scheduling jitter. */
  static final int TX_AHEAD = 3;

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

  private final short[] tx = new short[AudioFrames.FRAME_SAMPLES];
  private final short[] rx = new short[AudioFrames.FRAME_SAMPLES];
  private volatile boolean running = true;

  MediaPump(Shim shim, Handles handles, long mediaTimeoutNanos, Path recordingsDir) {
    this.shim = shim;
    this.handles = handles;
    this.mediaTimeoutNanos = mediaTimeoutNanos;
    this.recordingsDir = recordingsDir;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    long tick = 0;
    long nextRtpCheck = System.nanoTime() + RTP_CHECK_NANOS;
    while (running) {
      tick = shim.slpj_media_wait(tick, WAIT_MS);
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
    int depth = shim.slpj_media_tx_depth(handle);
    while (depth >= 0 && depth < TX_AHEAD) {
      media.source().read(tx);
      depth = shim.slpj_media_push(handle, tx);
    }
    while (shim.slpj_media_pull(handle, rx) == 1) {
      media.sink().write(rx, 0, rx.length);
      record(call);
    }
  }

  private void record(PjsipCall call) {
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
        recording = WavRecording.create(recordingsDir, call.callId());
        recordings.put(call, recording);
        log.info("recording received audio of call {} to {}", call.callId(), recording.path());
      }
      recording.write(rx, 0, rx.length);
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
