/**
 * The jainsip backend's media path: RTP with G.711 in pure Java.
 *
 * <pre>
 *  sending, one frame per 20 ms tick of the one Pacer (one thread for every call of the JVM)
 *
 *    AudioSource (core: WAV queue, mute, silence; 20 ms of 8 kHz PCM)
 *      → RtpSender ─ RtpPacketizer (SSRC, sequence number, timestamp, marker)
 *                  ─ Codec.encode (G.711 µ-law / A-law)
 *      → DatagramChannel.send to RtpPeer.address()
 *
 *  receiving, one ReceiveLoop thread (a Selector over every call's socket)
 *
 *    DatagramChannel.receive
 *      → RtpReceiver ─ RtpPeer.admits (strict source, or latching onto the first)
 *                    ─ RtpPacket.parse (every length checked)
 *                    ─ payload type check (codec; telephone-event counted)
 *                    ─ ReorderBuffer (sequence order, duplicates and late packets dropped)
 *                    ─ Codec.decode
 *      → AudioSink (core) [+ WavRecorder]
 * </pre>
 *
 * <p>The signalling package sees only {@link org.sipline.backend.jainsip.media.MediaEngine} (one
 * per backend: pacer, receive thread, port range), {@link
 * org.sipline.backend.jainsip.media.MediaSession} (one per call: allocate for the SDP, start,
 * update on re-INVITE, close), {@link org.sipline.backend.jainsip.media.Codec} and {@link
 * org.sipline.backend.jainsip.media.MediaStats}. Time comes from an injected {@link
 * org.sipline.backend.jainsip.media.MediaClock} and randomness from an injected generator, so that
 * tests are deterministic.
 */
package org.sipline.backend.jainsip.media;
