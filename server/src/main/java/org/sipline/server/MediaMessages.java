package org.sipline.server;

import com.google.protobuf.ByteString;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioFormat;
import org.sipline.api.media.v1.AudioIn;
import org.sipline.api.media.v1.AudioRejected;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.CallState;
import org.sipline.api.media.v1.Cleared;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.Dtmf;
import org.sipline.api.media.v1.DtmfSent;
import org.sipline.api.media.v1.DtmfSource;
import org.sipline.api.media.v1.Flow;
import org.sipline.api.media.v1.ListenRequest;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.media.v1.Open;
import org.sipline.api.media.v1.Opened;
import org.sipline.api.media.v1.Playout;
import org.sipline.api.media.v1.StreamStatistics;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.media.ConverseOptions;
import org.sipline.core.media.ListenOptions;
import org.sipline.core.media.MarkOutcome;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.StreamCounters;
import org.sipline.core.spi.DtmfMethod;

/**
 * sipline.media.v1 messages to core's media types and back, field by field and nothing more: the
 * core checks values (ranges, digits, sizes) and names the proto field when it refuses one. What is
 * decided here is only what the proto itself defines: which enum value means what, and the zero
 * values that stand for a default the core has no notion of ({@code SendDtmf}'s 0 ms).
 */
final class MediaMessages {
  /** {@code SendDtmf.duration_ms} 0: the proto's default. */
  static final int DEFAULT_DTMF_DURATION_MS = 100;

  /** {@code SendDtmf.gap_ms} 0: the proto's default. */
  static final int DEFAULT_DTMF_GAP_MS = 70;

  private MediaMessages() {}

  // ---- requests -----------------------------------------------------------------------------

  /** The options of a Converse's Open, not yet validated (the core does that, naming the field). */
  static ConverseOptions toOptions(Open open) {
    return new ConverseOptions(
        call(open.getCall(), "open.call"),
        open.hasInboundFormat() ? format(open.getInboundFormat(), "open.inbound_format") : null,
        open.hasOutboundFormat() ? format(open.getOutboundFormat(), "open.outbound_format") : null,
        open.getInboundFrameMs(),
        open.getMaxInboundLagMs(),
        open.getMaxQueuedMs(),
        open.getPlayoutIntervalMs(),
        open.getTakeOver(),
        open.getResumeToken());
  }

  static ListenOptions toOptions(ListenRequest request) {
    return new ListenOptions(
        call(request.getCall(), "call"),
        request.hasInboundFormat() ? format(request.getInboundFormat(), "inbound_format") : null,
        request.getInboundFrameMs(),
        request.getMaxInboundLagMs());
  }

  static int dtmfDurationMs(int durationMs) {
    return durationMs == 0 ? DEFAULT_DTMF_DURATION_MS : durationMs;
  }

  static int dtmfGapMs(int gapMs) {
    return gapMs == 0 ? DEFAULT_DTMF_GAP_MS : gapMs;
  }

  private static org.sipline.core.media.CallSelector call(CallSelector call, String field) {
    return switch (call) {
      case CURRENT -> org.sipline.core.media.CallSelector.CURRENT;
      case NEXT -> org.sipline.core.media.CallSelector.NEXT;
      // No default on purpose: attaching to the wrong call is worse than being told to choose.
      case CALL_SELECTOR_UNSPECIFIED ->
          throw new InvalidArgumentException(field, "not set; CURRENT or NEXT");
      case UNRECOGNIZED ->
          throw new InvalidArgumentException(field, "unknown value; CURRENT or NEXT");
    };
  }

  private static org.sipline.core.media.AudioFormat format(AudioFormat f, String field) {
    org.sipline.core.media.AudioEncoding encoding =
        switch (f.getEncoding()) {
          // The proto says "not set: LINEAR16"; a rate set beside it still counts.
          case AUDIO_ENCODING_UNSPECIFIED, LINEAR16 ->
              org.sipline.core.media.AudioEncoding.LINEAR16;
          case MULAW -> org.sipline.core.media.AudioEncoding.MULAW;
          case ALAW -> org.sipline.core.media.AudioEncoding.ALAW;
          case UNRECOGNIZED ->
              throw new InvalidArgumentException(
                  field + ".encoding",
                  "unknown value " + f.getEncodingValue() + "; LINEAR16, MULAW or ALAW");
        };
    return new org.sipline.core.media.AudioFormat(encoding, f.getSampleRate());
  }

  // ---- events -------------------------------------------------------------------------------

  static ConverseEvent toProto(MediaEvent event) {
    ConverseEvent.Builder b = ConverseEvent.newBuilder().setSequence(event.sequence());
    if (event instanceof MediaEvent.AudioIn e) {
      // The most frequent event by far: built with as little as possible.
      return b.setAudioIn(
              AudioIn.newBuilder()
                  .setPosition(e.position())
                  .setData(ByteString.copyFrom(e.data()))
                  .setConcealedSamples(e.concealedSamples())
                  .setDroppedSamples(e.droppedSamples())
                  .setReplayed(e.replayed()))
          .build();
    } else if (event instanceof MediaEvent.Opened e) {
      b.setOpened(
          Opened.newBuilder()
              .setCallId(e.callId())
              .setRemote(e.remote())
              .setIncoming(e.incoming())
              .setCodec(e.codec())
              .setTimelineRate(e.timelineRate())
              .setInboundFormat(toProto(e.inbound()))
              .setOutboundFormat(toProto(e.outbound()))
              .setInboundFrameMs(e.inboundFrameMs())
              .setMaxInboundLagMs(e.maxInboundLagMs())
              .setMaxQueuedMs(e.maxQueuedMs())
              .setResumeToken(e.resumeToken())
              .setResumeGraceMs(e.resumeGraceMs())
              .setResumed(e.resumed())
              .setPosition(e.position()));
    } else if (event instanceof MediaEvent.MarkResolved e) {
      b.setMark(
          MarkResolved.newBuilder()
              .setId(e.id())
              .setOutcome(toProto(e.outcome()))
              .setPosition(e.position()));
    } else if (event instanceof MediaEvent.Cleared e) {
      b.setCleared(toProto(e));
    } else if (event instanceof MediaEvent.Playout e) {
      b.setPlayout(
          Playout.newBuilder()
              .setPosition(e.position())
              .setUtteranceId(e.utteranceId())
              .setUtterancePlayedSamples(e.utterancePlayedSamples())
              .setUtteranceEnded(e.utteranceEnded())
              .setQueuedMs(e.queuedMs())
              .setPaused(e.paused()));
    } else if (event instanceof MediaEvent.Dtmf e) {
      b.setDtmf(
          Dtmf.newBuilder()
              .setDigit(String.valueOf(e.digit()))
              .setPhase(e.end() ? Dtmf.Phase.END : Dtmf.Phase.START)
              .setPosition(e.position())
              .setDurationMs(e.durationMs())
              .setSource(toProto(e.source())));
    } else if (event instanceof MediaEvent.DtmfSent e) {
      b.setDtmfSent(
          DtmfSent.newBuilder()
              .setDigit(String.valueOf(e.digit()))
              .setDurationMs(e.durationMs())
              .setMethod(
                  e.method() == null ? DtmfSource.DTMF_SOURCE_UNSPECIFIED : toProto(e.method()))
              .setPosition(e.position())
              .setFailure(e.failure())
              .setSipCode(e.sipCode()));
    } else if (event instanceof MediaEvent.Flow e) {
      b.setFlow(Flow.newBuilder().setXoff(e.xoff()).setQueuedMs(e.queuedMs()));
    } else if (event instanceof MediaEvent.AudioRejected e) {
      b.setAudioRejected(
          AudioRejected.newBuilder()
              .setUtteranceId(e.utteranceId())
              .setBytes(e.bytes())
              .setReason(e.reason())
              .setQueuedMs(e.queuedMs()));
    } else if (event instanceof MediaEvent.CallState e) {
      b.setCallState(
          CallState.newBuilder()
              .setState(
                  switch (e.state()) {
                    case WAITING -> CallState.State.WAITING;
                    case CONNECTED -> CallState.State.CONNECTED;
                    case ENDED -> CallState.State.ENDED;
                    case HELD -> CallState.State.HELD;
                    case RESUMED -> CallState.State.RESUMED;
                  })
              .setSipCode(e.sipCode())
              .setReason(e.reason())
              .setPosition(e.position()));
    } else if (event instanceof MediaEvent.Statistics e) {
      b.setStatistics(toProto(e.counters()));
    } else {
      // MediaEvent is sealed; a new kind must be mapped here before it can be sent.
      throw new IllegalArgumentException("unmapped media event " + event.getClass().getName());
    }
    return b.build();
  }

  static Cleared toProto(MediaEvent.Cleared e) {
    return Cleared.newBuilder()
        .setThroughUtterance(e.throughUtterance())
        .setInterruptedUtterance(e.interruptedUtterance())
        .setPlayedSamples(e.playedSamples())
        .setPosition(e.position())
        .addAllClearedUtterances(e.clearedUtterances())
        .setDroppedSamples(e.droppedSamples())
        .build();
  }

  static StreamStatistics toProto(StreamCounters c) {
    return StreamStatistics.newBuilder()
        .setFramesSent(c.framesSent())
        .setFramesDropped(c.framesDropped())
        .setMaxLagMs(c.maxLagMs())
        .setQueuedMs(c.queuedMs())
        .setUnderruns(c.underruns())
        .setChunksRejected(c.chunksRejected())
        .setMarksPlayed(c.marksPlayed())
        .setMarksCleared(c.marksCleared())
        .setMaxClearLatencyUs(c.maxClearLatencyMicros())
        .setDigitsIn(c.digitsIn())
        .setDigitsOut(c.digitsOut())
        .setConcealedSamples(c.concealedSamples())
        .setPlayedSamples(c.playedSamples())
        .build();
  }

  static AudioFormat toProto(org.sipline.core.media.AudioFormat f) {
    AudioEncoding encoding =
        switch (f.encoding()) {
          case LINEAR16 -> AudioEncoding.LINEAR16;
          case MULAW -> AudioEncoding.MULAW;
          case ALAW -> AudioEncoding.ALAW;
        };
    return AudioFormat.newBuilder().setEncoding(encoding).setSampleRate(f.sampleRate()).build();
  }

  private static MarkResolved.Outcome toProto(MarkOutcome outcome) {
    return switch (outcome) {
      case PLAYED -> MarkResolved.Outcome.PLAYED;
      case CLEARED -> MarkResolved.Outcome.CLEARED;
      case CALL_ENDED -> MarkResolved.Outcome.CALL_ENDED;
      case DETACHED -> MarkResolved.Outcome.DETACHED;
    };
  }

  private static DtmfSource toProto(DtmfMethod method) {
    return switch (method) {
      case RFC4733 -> DtmfSource.RFC4733;
      case SIP_INFO -> DtmfSource.SIP_INFO;
    };
  }

  /** One line for the server log: the stream's counters as key=value. */
  static String describe(StreamCounters c) {
    return "frames_sent="
        + c.framesSent()
        + " frames_dropped="
        + c.framesDropped()
        + " max_lag_ms="
        + c.maxLagMs()
        + " concealed_samples="
        + c.concealedSamples()
        + " played_samples="
        + c.playedSamples()
        + " queued_ms="
        + c.queuedMs()
        + " underruns="
        + c.underruns()
        + " chunks_rejected="
        + c.chunksRejected()
        + " marks_played="
        + c.marksPlayed()
        + " marks_cleared="
        + c.marksCleared()
        + " max_clear_latency_us="
        + c.maxClearLatencyMicros()
        + " digits_in="
        + c.digitsIn()
        + " digits_out="
        + c.digitsOut();
  }
}
