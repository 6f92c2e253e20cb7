/**
 * Audio in pieces the line needs: WAV decoding, resampling, G.711.
 *
 * <pre>
 *   WAV bytes ─▶ WavReader ──▶ Resampler ──▶ (media) PlaybackQueue ──▶ 20 ms PCM frame
 *   (RIFF/WAVE)  mono 16-bit    8 kHz,                                   AudioSource.read(),
 *                PCM at the     anti-alias                               called by the
 *                file's rate    low-pass                                 backend's pacer
 *
 *   live chunks ─▶ ChunkResampler (the same filters, state kept per utterance) ─▶ 8 kHz
 *   8 kHz caller audio ─▶ Interpolator (16/24/48 kHz, stated delay) ─▶ a stream's format
 * </pre>
 *
 * <ul>
 *   <li>{@link org.sipline.core.audio.WavDecoder} runs the first two stages for one file; the line
 *       validates every file of a request with it before queueing any (all or nothing).
 *   <li>{@link org.sipline.core.audio.WavReader} throws only {@link
 *       org.sipline.core.audio.WavFormatException}, whose message names the problem.
 *   <li>The per-call {@link org.sipline.core.spi.AudioSource} is the playback queue of {@code
 *       org.sipline.core.media}: the core decides what is played, the backend how it travels.
 *   <li>{@link org.sipline.core.audio.G711} lives here so every backend encodes and decodes the
 *       same way.
 * </ul>
 */
package org.sipline.core.audio;
