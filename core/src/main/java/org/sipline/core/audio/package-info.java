/**
 * The audio the line plays into a call, from WAV bytes to 20 ms frames of 8 kHz PCM.
 *
 * <pre>
 *   WAV bytes ─▶ WavReader ─▶ Resampler ─▶ PlaybackQueue (+ mute) ─▶ 20 ms PCM frame
 *   (RIFF/WAVE)  (mono PCM at   (to 8 kHz,    (FIFO of requests,       (AudioSource, read by
 *                 file rate)     anti-alias)   completion per request)  the backend's pacer)
 *                                                                        │
 *                                         backend: G711 encoder ─▶ RTP ◀─┘
 * </pre>
 *
 * <p>{@code WavDecoder} runs the first two stages for one file; the line validates every file of
 * a request with it before queueing any. {@link org.sipline.core.audio.G711} is here so that
 * every backend encodes and decodes the same way.
 */
package org.sipline.core.audio;
