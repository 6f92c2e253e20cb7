package org.sipline.core.media;

/**
 * One stream's counters (MEDIA.md, "every stream counts"): in its final statistics and in the
 * server's metrics.
 *
 * @param framesSent caller-audio events handed to the client
 * @param framesDropped caller-audio frames dropped because the client was too slow
 * @param maxLagMs the most caller audio ever waiting for the client
 * @param queuedMs bot audio queued now
 * @param underruns times the bot's utterance ran dry before its end (silence was sent)
 * @param chunksRejected bot audio chunks refused (over the cap, fenced, malformed)
 * @param marksPlayed marks resolved PLAYED
 * @param marksCleared marks resolved CLEARED
 * @param maxClearLatencyMicros largest time from a clear's arrival to the frame it took effect in
 * @param digitsIn DTMF digits received (counted at their end)
 * @param digitsOut DTMF digits sent
 * @param concealedSamples caller samples lost or late, delivered as silence
 * @param playedSamples bot samples played (handed to the socket)
 */
public record StreamCounters(
    long framesSent,
    long framesDropped,
    int maxLagMs,
    int queuedMs,
    long underruns,
    long chunksRejected,
    long marksPlayed,
    long marksCleared,
    int maxClearLatencyMicros,
    long digitsIn,
    long digitsOut,
    long concealedSamples,
    long playedSamples) {}
