/**
 * The jainsip backend's media path: RTP with G.711 in pure Java.
 *
 * <pre>
 *  sending, one frame per 20 ms tick of a Pacer (Pacers: one thread per core, calls spread over them)
 *
 *    AudioSource (core: WAV queue, mute, silence; 20 ms of 8 kHz PCM)
 *      → RtpSender ─ RtpPacketizer (SSRC, sequence number, timestamp, marker)
 *                  ─ Codec.encode (G.711 µ-law / A-law)
 *                    or, while a DTMF digit plays, TelephoneEventSender (RFC 4733 event packets
 *                    in the audio's place, same SSRC and sequence numbers)
 *      → DatagramChannel.send to RtpPeer.address()
 *      → AudioSource.sent (on the wire or not); skipped ticks → AudioSource.skipped
 *
 *  receiving, one ReceiveLoop thread (a Selector over every call's socket)
 *
 *    DatagramChannel.receive
 *      → RtpReceiver ─ RtpPeer.admits (strict source, or latching onto the first)
 *                    ─ RtpPacket.parse (every length checked)
 *                    ─ payload type check (codec or telephone-event)
 *                    ─ ReorderBuffer (sequence order, duplicates and late packets dropped)
 *                    ─ audio:  ReceivedTimeline (gaps → AudioSink.missing) → Codec.decode
 *                      events: TelephoneEventPayload → TelephoneEventReceiver (→ AudioSink.dtmf)
 *      → AudioSink (core) [+ WavRecorder]
 * </pre>
 *
 * <p>The signalling package sees only {@link org.sipline.backend.jainsip.media.MediaEngine} (one
 * per backend: pacers, receive thread, port range), {@link
 * org.sipline.backend.jainsip.media.MediaSession} (one per call: allocate for the SDP, start,
 * update on re-INVITE, close), {@link org.sipline.backend.jainsip.media.Codec} and {@link
 * org.sipline.backend.jainsip.media.MediaStats}. Time comes from an injected {@link
 * org.sipline.backend.jainsip.media.MediaClock} and randomness from an injected generator, so that
 * tests are deterministic.
 */
package org.sipline.backend.jainsip.media;
