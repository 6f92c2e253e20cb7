/**
 * The audio the line plays into a call, from WAV bytes to 20 ms frames of 8 kHz PCM.
 *
 * <pre>
 *   WAV bytes ─▶ WavReader ──▶ Resampler ──▶ PlaybackQueue (+ mute) ──▶ 20 ms PCM frame
 *   (RIFF/WAVE)  mono 16-bit    8 kHz,        FIFO of Playback          AudioSource.read(),
 *                PCM at the     anti-alias    requests, one future      called by the
 *                file's rate    low-pass      per request               backend's pacer
 *                                                                            │
 *                              backend: G711 encoder ─▶ RTP packetizer ◀─────┘
 * </pre>
 *
 * <ul>
 *   <li>{@link org.sipline.core.audio.WavDecoder} runs the first two stages for one file; the line
 *       validates every file of a request with it before queueing any (all or nothing).
 *   <li>{@link org.sipline.core.audio.WavReader} throws only {@link
 *       org.sipline.core.audio.WavFormatException}, whose message names the problem.
 *   <li>{@link org.sipline.core.audio.PlaybackQueue} is the per-call {@link
 *       org.sipline.core.spi.AudioSource}: the core decides what is played, the backend how it
 *       travels.
 *   <li>{@link org.sipline.core.audio.G711} lives here so every backend encodes and decodes the
 *       same way.
 * </ul>
 */
package org.sipline.core.audio;
