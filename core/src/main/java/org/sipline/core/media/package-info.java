/**
 * Live media of a line's calls (MEDIA.md): the caller's audio to the bot as it arrives, the bot's
 * audio in utterances with marks, clears and pause, DTMF both ways, all on one call timeline.
 *
 * <pre>
 *  caller: backend AudioSink → CallTimeline (positions, concealment) → per-stream bounded ring
 *          → MediaStream.poll (gRPC, when the client is ready)
 *  bot:    MediaStream.audio (chunks) → re-framer → utterance queue (marks, fences, pause, mute)
 *          → AudioSource.read (pacer, 20 ms) → AudioSource.sent: played, marks resolve
 * </pre>
 *
 * <p>The public surface is small: {@link org.sipline.core.media.LineMedia} (from {@code
 * Line.media()}) opens {@link org.sipline.core.media.MediaStream}s, which hand out {@link
 * org.sipline.core.media.MediaEvent}s. Everything else is package-private. The media threads never
 * wait for a stream's client: rings are bounded and drop the oldest caller audio, never control
 * events.
 */
package org.sipline.core.media;
