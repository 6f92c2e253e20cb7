package org.sipline.core.media;

import java.util.concurrent.CompletableFuture;

/** A line's live media: where Converse and Listen streams are opened. From {@code Line.media()}. */
public interface LineMedia {
  /**
   * Opens the bot's stream of a call.
   *
   * @throws org.sipline.core.InvalidArgumentException for malformed options, naming the field
   * @throws org.sipline.core.FailedPreconditionException CURRENT without a call in progress, or a
   *     resume token that is unknown or past its grace
   * @throws org.sipline.core.AlreadyExistsException the call has a writer and {@code takeOver} is
   *     not set
   * @param options the stream's call, formats and bounds
   * @return the open stream
   */
  MediaStream converse(ConverseOptions options);

  /**
   * Opens a read-only tap; any number may be open.
   *
   * @param options the stream's call, format and bounds
   * @return the open stream
   */
  MediaStream listen(ListenOptions options);

  /**
   * Clears the current call's playback (or that of the call {@code callId} names) at the next
   * frame, ahead of anything a Converse client has buffered.
   *
   * @return what was cleared
   * @throws org.sipline.core.FailedPreconditionException without a (matching) call in progress
   * @param callId the call to clear, or "" for the current one
   * @param throughUtterance the last utterance to drop, or "" for all
   */
  CompletableFuture<MediaEvent.Cleared> interrupt(String callId, String throughUtterance);
}
