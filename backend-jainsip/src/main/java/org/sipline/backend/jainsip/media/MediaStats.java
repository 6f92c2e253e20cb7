package org.sipline.backend.jainsip.media;

/**
 * A snapshot of one session's RTP counters.
 *
 * @param sent packets handed to the socket
 * @param unsent frames not sent: no peer address known yet (latching), full socket buffer, or a
 *     send error
 * @param late frames the pacer served more than {@value Pacer#LATE_MILLIS} ms after their deadline
 * @param skipped frames the pacer dropped because it fell more than a few frames behind
 * @param received valid audio packets of the negotiated codec from the peer
 * @param lost sequence numbers given up as missing (an estimate: a packet later than the reorder
 *     window counts here and in {@code droppedLate})
 * @param droppedLate packets that came after a later one had been delivered
 * @param duplicates packets whose sequence number had been received already
 * @param droppedWrongSource datagrams from anyone but the peer
 * @param droppedMalformed datagrams that are not valid RTP
 * @param droppedPayloadType RTP of a payload type that was not negotiated
 * @param telephoneEvents RFC 4733 packets received, retransmissions included
 * @param digitsReceived DTMF digits received as RFC 4733 events
 * @param missingSamples received samples reported missing: lost, late, or never sent as audio (DTMF
 *     events in their place, silence suppression)
 * @param digitsSent DTMF digits sent as RFC 4733 events
 * @param lastPacketNanos {@link MediaClock#nanoTime()} of the last valid packet from the peer, or
 *     of the session's start (allocation, before it) when none came yet — what a media timeout
 *     compares against
 */
public record MediaStats(
    long sent,
    long unsent,
    long late,
    long skipped,
    long received,
    long lost,
    long droppedLate,
    long duplicates,
    long droppedWrongSource,
    long droppedMalformed,
    long droppedPayloadType,
    long telephoneEvents,
    long digitsReceived,
    long missingSamples,
    long digitsSent,
    long lastPacketNanos) {}
