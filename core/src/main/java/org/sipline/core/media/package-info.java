/**
 * Live media of a line's calls (MEDIA.md): the caller's audio to the bot as it arrives, the bot's
 * audio in utterances with marks, clears and pause, DTMF both ways, all on one call timeline.
 *
 * <pre>
 *  caller: backend AudioSink ─▶ CallAudio (timeline anchor, concealment, 2 s history, DTMF)
 *          ─▶ InboundFramer per stream (bounded ring, re-framing, format) ─▶ MediaStream.poll
 *  bot:    MediaStream.audio (chunks) ─▶ Writer (odd byte, ChunkResampler, fences, cap, flow)
 *          ─▶ PlaybackQueue (utterances, marks, clears with fade, pause, mute, DTMF hold)
 *          ─▶ AudioSource.read (pacer, 20 ms) ─▶ AudioSource.sent: committed; facts recorded
 *          ─▶ CallAudio.settle (on the reader's thread) ─▶ MarkResolved, Playout, Cleared, Flow
 * </pre>
 *
 * <p>The public surface is small: {@link org.sipline.core.media.LineMedia} (from {@code
 * Line.media()}) opens {@link org.sipline.core.media.MediaStream}s, which hand out {@link
 * org.sipline.core.media.MediaEvent}s. {@link org.sipline.core.media.MediaHub}, {@link
 * org.sipline.core.media.CallAudio}, {@link org.sipline.core.media.Playback} and {@link
 * org.sipline.core.media.PlaybackResult} are public for the line only. Everything else is
 * package-private.
 *
 * <p>Threads: the pacer touches only the queue (one lock, no allocation): it computes frames,
 * commits them when sent and records facts chained through themselves; the events are made when a
 * reader polls. The receive thread copies into rings under the call's lock, allocating nothing. The
 * line's actor only creates, connects and ends calls. The media threads never wait for a stream's
 * client: rings are bounded and drop the oldest caller audio, never control events.
 */
package org.sipline.core.media;
