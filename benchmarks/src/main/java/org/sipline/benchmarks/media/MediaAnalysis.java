package org.sipline.benchmarks.media;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.Dtmf;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.benchmarks.harness.CapturedPacket;
import org.sipline.benchmarks.harness.TsharkCapture;
import org.sipline.benchmarks.pacing.PacingStats;
import org.sipline.benchmarks.pacing.StreamAnalysis;

/**
 * Turns what a run recorded ({@link Recorded}) and its captures into the figures of a {@link
 * MediaResult}: the matching is {@link MediaMatching}'s, the pacing {@link StreamAnalysis}'s.
 */
final class MediaAnalysis {
  private static final long UNMATCHED = -1;

  /** A MarkResolved as the client saw it. */
  record MarkSeen(MarkResolved.Outcome outcome, long position, long nanos) {}

  /** Everything a run's phases noted, filled in as they go (null: the phase did not run). */
  static final class Recorded {
    int callerPort;
    int grpcPort;
    int converseLocalPort;
    double loadBefore;
    double loadAfter;
    long anchorPosition;
    long anchorTimestamp;
    long callerAudioPackets;
    long rtpDropped;
    ConverseClient converse;
    StealSampler steal;
    final List<Window> windows = new ArrayList<>();
    Window inbound;
    Window bidirectional;
    Window listen;
    Window speakClear;
    Window dtmf;
    List<ListenClient> listeners;
    int listenersFailed;
    List<MediaWire.Segment> grpc = List.of();
    long grpcDropped;
    final List<Long> speakSent = new ArrayList<>();
    final List<Integer> speakSamples = new ArrayList<>();
    final List<MarkSeen> marks = new ArrayList<>();
    final List<Long> clearSent = new ArrayList<>();
    final List<Long> interruptSent = new ArrayList<>();
    int dtmfControlFrom;
    List<CallerRtp.SentDigit> digits = List.of();
    ConverseClient stalled;
    Window stallReading;
    Window stallStalled;
    long heapBefore;
    long heapStalled;
    long heapAfter;
    long rssBefore;
    long rssStalled;
    long rssAfter;
    int stallAudioAtStall;
    int stallAudioDuringStall;
    int stallAudioAfterResume;
    long stallResumedAt;
    String stallStatus;
    Throwable stallFailure;
  }

  private MediaAnalysis() {}

  static MediaResult analyse(MediaOptions o, Recorded rec, TsharkCapture rtp) throws IOException {
    MediaResult r = new MediaResult();
    List<MediaWire.In> in = new ArrayList<>();
    List<MediaWire.Out> out = new ArrayList<>();
    MediaWire.readRtp(rtp, rec.callerPort, in, out);
    r.value("capture_dropped", rec.rtpDropped);
    r.value("caller_packets_captured", in.size());
    r.value("sipline_packets_captured", out.size());
    r.text(
        "load_run",
        String.format(java.util.Locale.ROOT, "%.2f → %.2f", rec.loadBefore, rec.loadAfter));
    r.value("beside_calls", o.besideCalls());
    r.value("interrupt_warmup", o.interruptWarmup());
    Map<Long, Long> callerAudio = MediaMatching.audioByTimestamp(in);
    Map<Long, MediaWire.Out> byPosition = MediaMatching.byPosition(out);
    List<CapturedPacket> outCaptured = new ArrayList<>();
    for (MediaWire.Out p : out) {
      outCaptured.add(p.asCaptured());
    }
    for (Window w : rec.windows) {
      w.describe(r);
      r.value(w.name() + "_steal_max_100ms_ms", rec.steal.maxSlot(w.from(), w.to()) / 1_000_000);
      r.value(
          w.name() + "_steal_100ms_slots_over_20ms",
          rec.steal.slotsOver(w.from(), w.to(), 20_000_000));
      pacing(r, w, outCaptured, rec.callerPort);
    }

    if (rec.inbound != null) {
      r.samples(
          "inbound_1",
          "caller → bot: RTP on the wire → AudioIn, 1 Converse (µ-law)",
          inbound(rec.converse.record(), rec, callerAudio, rec.inbound));
      r.samples(
          "inbound_1_to_wire",
          "… of which the server's: RTP on the wire → the gRPC segment carrying the AudioIn",
          inboundToWire(rec, callerAudio, rec.inbound));
      bytesPerFrame(r, rec);
    }
    if (rec.bidirectional != null) {
      r.samples(
          "inbound_bidirectional",
          "caller → bot, the Converse echoing it back (1 bidirectional stream)",
          inbound(rec.converse.record(), rec, callerAudio, rec.bidirectional));
      r.samples(
          "inbound_bidirectional_to_wire",
          "… of which the server's (RTP → the segment carrying the AudioIn)",
          inboundToWire(rec, callerAudio, rec.bidirectional));
    }
    if (rec.listen != null) {
      long[] converse = inbound(rec.converse.record(), rec, callerAudio, rec.listen);
      List<long[]> all = new ArrayList<>();
      all.add(converse);
      for (ListenClient l : rec.listeners) {
        all.add(inbound(l.record(), rec, callerAudio, rec.listen));
      }
      r.samples(
          "inbound_listen_all",
          "caller → bot, " + rec.listeners.size() + " Listen + the echoing Converse: every stream",
          concat(all));
      r.samples("inbound_listen_converse", "… the Converse stream alone", converse);
      r.samples(
          "inbound_listen_converse_to_wire",
          "… of which the server's (RTP → the segment carrying the Converse's AudioIn)",
          inboundToWire(rec, callerAudio, rec.listen));
      r.value("listeners", rec.listeners.size());
      r.value("listeners_failed_in_window", rec.listenersFailed);
    }
    if (!rec.speakSent.isEmpty()) {
      speak(r, rec, out, byPosition);
    }
    if (!rec.clearSent.isEmpty()) {
      clears(r, rec, out);
    }
    if (rec.dtmf != null) {
      dtmf(r, rec, in);
    }
    if (rec.stalled != null) {
      stall(r, rec);
    }
    return r;
  }

  private static void pacing(MediaResult r, Window w, List<CapturedPacket> out, int callerPort) {
    PacingStats s = StreamAnalysis.analyse(out, w.from(), w.to(), port -> port == callerPort);
    String k = w.name() + "_pacing_";
    r.value(k + "packets", s.packets());
    r.value(k + "p50_ms", s.p50() / 1e6);
    r.value(k + "p99_ms", s.p99() / 1e6);
    r.value(k + "p999_ms", s.p999() / 1e6);
    r.value(k + "max_ms", s.max() / 1e6);
    r.value(k + "lost", s.lostFrames());
    r.value(k + "late", s.late());
  }

  private static long[] inbound(
      StreamRecord s, Recorded rec, Map<Long, Long> callerAudio, Window w) {
    int n = s.audioCount();
    return MediaMatching.inbound(
        s.positions(0, n),
        s.times(0, n),
        rec.anchorPosition,
        rec.anchorTimestamp,
        callerAudio,
        w.from(),
        w.to());
  }

  private static long[] inboundToWire(Recorded rec, Map<Long, Long> callerAudio, Window w) {
    StreamRecord c = rec.converse.record();
    int n = c.audioCount();
    return MediaMatching.inboundToWire(
        c.positions(0, n),
        c.times(0, n),
        rec.anchorPosition,
        rec.anchorTimestamp,
        callerAudio,
        serverSegments(rec),
        w.from(),
        w.to());
  }

  /** Capture times of the server's data segments to the Converse's connection, in order. */
  private static long[] serverSegments(Recorded rec) {
    return rec.grpc.stream()
        .filter(s -> s.srcPort() == rec.grpcPort && s.length() > 0)
        .mapToLong(MediaWire.Segment::nanos)
        .toArray();
  }

  /**
   * The Converse connection's bytes from the server over the inbound window, per AudioIn it
   * received in that window: TCP payload (HTTP/2 and gRPC framing, protobuf, the audio) and the
   * same with IP and TCP headers.
   */
  private static void bytesPerFrame(MediaResult r, Recorded rec) {
    long tcp = 0;
    long ip = 0;
    long segments = 0;
    for (MediaWire.Segment s : rec.grpc) {
      if (s.srcPort() == rec.grpcPort
          && s.nanos() >= rec.inbound.from()
          && s.nanos() < rec.inbound.to()
          && s.length() > 0) {
        tcp += s.length();
        ip += s.ipLength();
        segments++;
      }
    }
    StreamRecord c = rec.converse.record();
    long[] times = c.times(0, c.audioCount());
    int first = -1;
    int frames = 0;
    for (int i = 0; i < times.length; i++) {
      if (times[i] >= rec.inbound.from() && times[i] < rec.inbound.to()) {
        frames++;
        if (first < 0) {
          first = i;
        }
      }
    }
    long last = rec.grpc.isEmpty() ? 0 : rec.grpc.get(rec.grpc.size() - 1).nanos();
    r.text("bytes_capture_covers_window", Boolean.toString(last >= rec.inbound.to()));
    r.value("grpc_capture_dropped", rec.grpcDropped);
    r.value("grpc_connection_port", rec.converseLocalPort);
    r.value("bytes_frames", frames);
    r.value("bytes_segments", segments);
    if (frames > 0) {
      r.value("bytes_audio_per_frame", (double) c.audioBytes(first, first + frames) / frames);
      r.value("bytes_tcp_payload_per_frame", (double) tcp / frames);
      r.value("bytes_ip_per_frame", (double) ip / frames);
    }
  }

  private static void speak(
      MediaResult r, Recorded rec, List<MediaWire.Out> out, Map<Long, MediaWire.Out> byPosition) {
    long[] sent = toArray(rec.speakSent);
    r.samples(
        "first_audio",
        "bot → caller: first Audio chunk sent → first RTP packet carrying it",
        MediaMatching.firstAudio(sent, out));
    long[] arrived = arrivals(sent, rec);
    r.samples(
        "first_audio_arrival",
        "… from the chunk's arrival on the wire (first HTTP/2 DATA segment)",
        MediaMatching.firstAudio(arrived, out));
    long[] markDelay = new long[rec.marks.size()];
    long[] markToWire = new long[rec.marks.size()];
    long[] segments = serverSegments(rec);
    long exact = 0;
    long maxError = 0;
    long played = 0;
    long complete = 0;
    for (int i = 0; i < rec.marks.size(); i++) {
      MarkSeen m = rec.marks.get(i);
      if (m.outcome() != MarkResolved.Outcome.PLAYED) {
        markDelay[i] = UNMATCHED;
        markToWire[i] = UNMATCHED;
        continue;
      }
      played++;
      MediaMatching.MarkCheck c = MediaMatching.mark(m.position(), m.nanos(), byPosition);
      markDelay[i] = c.delayNanos();
      markToWire[i] =
          c.delayNanos() < 0
              ? UNMATCHED
              : MediaMatching.lastBefore(segments, m.nanos(), m.nanos() - c.delayNanos());
      if (c.positionError() == 0) {
        exact++;
      }
      maxError = Math.max(maxError, Math.abs(c.positionError()));
      if (MediaMatching.audibleRun(rec.speakSent.get(i), out) == rec.speakSamples.get(i)) {
        complete++;
      }
    }
    r.samples(
        "mark_delay",
        "MarkResolved(PLAYED) received after the capture of the packet holding its last sample",
        markDelay);
    r.samples(
        "mark_to_wire",
        "… of which the server's: the packet → the gRPC segment carrying the MarkResolved",
        markToWire);
    r.value("marks", rec.marks.size());
    r.value("marks_played", played);
    r.value("marks_position_exact", exact);
    r.value("marks_position_max_error_samples", maxError);
    r.value("utterances_complete_on_wire", complete);
  }

  private static void clears(MediaResult r, Recorded rec, List<MediaWire.Out> out) {
    long[] clears = toArray(rec.clearSent);
    long[] interrupts = toArray(rec.interruptSent);
    r.samples(
        "clear_effect",
        "Clear sent → first packet without the cleared audio's full frame (fade, then silence)",
        MediaMatching.clearEffect(clears, out, false));
    r.samples(
        "clear_silent",
        "Clear sent → first packet of silence throughout",
        MediaMatching.clearEffect(clears, out, true));
    r.samples(
        "interrupt_effect",
        "Interrupt sent → first packet without the cleared audio's full frame (fade, then silence)",
        MediaMatching.clearEffect(interrupts, out, false));
    r.samples(
        "interrupt_silent",
        "Interrupt sent → first packet of silence throughout",
        MediaMatching.clearEffect(interrupts, out, true));
    r.samples(
        "clear_effect_arrival",
        "Clear on the wire → first packet without the cleared audio's full frame",
        MediaMatching.clearEffect(arrivals(clears, rec), out, false));
    r.samples(
        "interrupt_effect_arrival",
        "Interrupt on the wire → first packet without the cleared audio's full frame",
        MediaMatching.clearEffect(arrivals(interrupts, rec), out, false));
  }

  /** When each request reached the server: its connection's first request-carrying segment. */
  private static long[] arrivals(long[] sent, Recorded rec) {
    List<Long> times = new ArrayList<>();
    for (MediaWire.Segment s : rec.grpc) {
      if (s.srcPort() == rec.converseLocalPort && s.carriesRequest()) {
        times.add(s.nanos());
      }
    }
    long[] at = new long[sent.length];
    int from = 0;
    for (int i = 0; i < sent.length; i++) {
      while (from < times.size() && times.get(from) < sent[i]) {
        from++;
      }
      at[i] = from < times.size() ? times.get(from) : Long.MAX_VALUE;
    }
    return at;
  }

  private static void dtmf(MediaResult r, Recorded rec, List<MediaWire.In> in) {
    Map<Integer, MediaWire.In> bySeq = MediaMatching.bySequence(in);
    List<StreamRecord.Timed> starts = new ArrayList<>();
    List<StreamRecord.Timed> ends = new ArrayList<>();
    List<StreamRecord.Timed> control = rec.converse.record().control();
    for (int i = rec.dtmfControlFrom; i < control.size(); i++) {
      ConverseEvent e = control.get(i).event();
      if (e.hasDtmf()) {
        (e.getDtmf().getPhase() == Dtmf.Phase.START ? starts : ends).add(control.get(i));
      }
    }
    List<CallerRtp.SentDigit> sent = rec.digits;
    long[] startDelay = new long[sent.size()];
    long[] endDelay = new long[sent.size()];
    long within = 0;
    long maxError = 0;
    long wrongDigit = 0;
    for (int i = 0; i < sent.size(); i++) {
      CallerRtp.SentDigit d = sent.get(i);
      startDelay[i] = UNMATCHED;
      endDelay[i] = UNMATCHED;
      MediaWire.In first = bySeq.get(d.firstSequence());
      MediaWire.In firstEnd = bySeq.get(d.firstEndSequence());
      if (i < starts.size() && first != null) {
        Dtmf s = starts.get(i).event().getDtmf();
        if (s.getDigit().equals(String.valueOf(d.digit()))) {
          startDelay[i] = starts.get(i).nanos() - first.nanos();
        } else {
          wrongDigit++;
        }
      }
      if (i < ends.size()) {
        Dtmf e = ends.get(i).event().getDtmf();
        if (firstEnd != null) {
          endDelay[i] = ends.get(i).nanos() - firstEnd.nanos();
        }
        long error = (long) e.getDurationMs() - d.durationMillis();
        maxError = Math.max(maxError, Math.abs(error));
        if (Math.abs(error) <= 10) {
          within++;
        }
      }
    }
    r.samples("dtmf_start", "DTMF in: first RFC 4733 packet → Dtmf START", startDelay);
    r.samples("dtmf_end", "DTMF in: first end packet → Dtmf END", endDelay);
    r.value("dtmf_sent", sent.size());
    r.value("dtmf_starts", starts.size());
    r.value("dtmf_ends", ends.size());
    r.value("dtmf_wrong_digit", wrongDigit);
    r.value("dtmf_duration_within_10ms", within);
    r.value("dtmf_duration_max_error_ms", maxError);
  }

  private static void stall(MediaResult r, Recorded rec) {
    r.value("stall_heap_before_bytes", rec.heapBefore);
    r.value("stall_heap_end_of_stall_bytes", rec.heapStalled);
    r.value("stall_heap_after_bytes", rec.heapAfter);
    r.value("stall_rss_before_bytes", rec.rssBefore);
    r.value("stall_rss_end_of_stall_bytes", rec.rssStalled);
    r.value("stall_rss_after_bytes", rec.rssAfter);
    r.value("stall_audio_events_before", rec.stallAudioAtStall);
    r.value("stall_audio_events_during", rec.stallAudioDuringStall);
    r.value("stall_audio_events_5s_after_resume", rec.stallAudioAfterResume);
    r.text("stall_line_status_after", rec.stallStatus);
    r.text("stall_stream_failure", rec.stallFailure == null ? "none" : rec.stallFailure.toString());
    List<StreamRecord.Gap> gaps = rec.stalled.record().gaps();
    long gapSamples = 0;
    long firstGapAfterResume = -1;
    int gapIndex = -1;
    for (StreamRecord.Gap g : gaps) {
      gapSamples += g.droppedSamples();
      if (firstGapAfterResume < 0 && g.nanos() >= rec.stallResumedAt) {
        firstGapAfterResume = g.droppedSamples();
        gapIndex = g.index();
      }
    }
    r.value("stall_gaps_reported", gaps.size());
    r.value("stall_gap_reported_ms", firstGapAfterResume < 0 ? -1 : firstGapAfterResume / 8);
    r.value("stall_dropped_total_ms", gapSamples / 8);
    // Events delivered after the resume but before the gap: what the client's transport and the
    // server's buffers held while it did not read.
    r.value(
        "stall_events_buffered_before_gap",
        gapIndex < 0 ? -1 : gapIndex - rec.stallAudioAtStall - rec.stallAudioDuringStall);
  }

  private static long[] toArray(List<Long> values) {
    long[] a = new long[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }

  private static long[] concat(List<long[]> parts) {
    int n = 0;
    for (long[] p : parts) {
      n += p.length;
    }
    long[] all = new long[n];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
