/**
 * SRTP and SRTCP (RFC 3711) on the JDK's own AES and HmacSHA1, keyed by SDES (RFC 4568):
 *
 * <pre>
 *   send:    RTP packet → SrtpProtector.protectRtp (AES-CM over the payload, HMAC tag appended) → UDP
 *   receive: UDP → SrtpUnprotector.unprotectRtp (replay window, tag, AES-CM) → RtpReceiver
 *   RTCP:    the same through protectRtcp / unprotectRtcp, with the E flag and SRTCP index
 * </pre>
 *
 * <p>Session keys are derived once per master key (key_derivation_rate 0); ciphers, MACs and
 * buffers are made once per stream, so a packet costs no allocation here beyond the JDK's HMAC
 * result. Keys never reach a log line, a status or an exception message.
 */
package org.sipline.backend.jainsip.media.srtp;
