package org.sipline.testing;

/**
 * A {@link MediaFarEnd}'s own count of a call's RTP once the call closed.
 *
 * @param packetsSent RTP packets of audio it sent to the line
 * @param packetsReceived RTP packets of audio it received from the line
 */
public record FarEndRtp(long packetsSent, long packetsReceived) {}
