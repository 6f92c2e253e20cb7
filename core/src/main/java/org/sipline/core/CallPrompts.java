package org.sipline.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sipline.core.StatusRecorder.Facts;
import org.sipline.core.media.PlaybackResult;

/**
 * SipPlayWavFiles on the line's call: queues the clips behind what plays already and turns the
 * playback's end into the rpc's answer (SPEC §2). The count of prompts played is the call's, for
 * its record.
 */
final class CallPrompts {
  private final StatusRecorder recorder;
  private final Executor actor;
  private final Supplier<ActiveCall> current;
  private final Function<ActiveCall, Facts> facts;

  /**
   * @param actor where the playback's end is turned into a status
   * @param current the line's call now, or null
   * @param facts the facts a status about a call carries
   */
  CallPrompts(
      StatusRecorder recorder,
      Executor actor,
      Supplier<ActiveCall> current,
      Function<ActiveCall, Facts> facts) {
    this.recorder = recorder;
    this.actor = actor;
    this.current = current;
    this.facts = facts;
  }

  /** Queues decoded clips on {@code c}; completes when they have played (or the call ended). */
  CompletableFuture<LineStatus> play(
      ActiveCall c, List<short[]> clips, CompletableFuture<?> cancelled) {
    var playback = c.audio.play(clips);
    // Cancelling a playback cannot fail: nothing to observe.
    var unused = cancelled.whenComplete((v, e) -> playback.cancel());
    return playback.completion().thenApplyAsync(r -> played(c, clips.size(), r), actor);
  }

  private LineStatus played(ActiveCall c, int files, PlaybackResult r) {
    String amount =
        String.format("%.2f s of %.2f s", r.playedMillis() / 1000.0, r.totalMillis() / 1000.0);
    if (current.get() != c && r.outcome() == PlaybackResult.Outcome.PLAYED) {
      // The last frame went out just before the call ended: say so without recording a played
      // status after the call's end.
      return recorder.answer(
          StatusType.NO_ONGOING_CALL,
          facts.apply(c),
          "the call ended right after playback: " + amount + " played");
    }
    if (r.outcome() == PlaybackResult.Outcome.PLAYED) {
      c.promptsPlayed += files;
    }
    return switch (r.outcome()) {
      case PLAYED ->
          recorder.record(
              StatusType.MICROPHONE_WAV_FILES_PLAYED,
              facts.apply(c),
              "played "
                  + files
                  + " WAV file"
                  + (files == 1 ? "" : "s")
                  + " ("
                  + amount
                  + ")"
                  + (c.audio.isMuted() ? " while muted" : ""),
              null);
      case INTERRUPTED ->
          recorder.answer(
              StatusType.NO_ONGOING_CALL,
              facts.apply(c),
              "the call ended during playback: " + amount + " played");
      case CANCELLED ->
          recorder.answer(
              recorder.latest().type(), facts.apply(c), "playback cancelled after " + amount);
      case CLEARED ->
          recorder.answer(
              recorder.latest().type(),
              facts.apply(c),
              "playback cleared by the live-media client after " + amount);
    };
  }
}
