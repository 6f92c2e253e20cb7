/**
 * The backend SPI: how the core line drives a SIP stack without knowing which one.
 *
 * <p>A {@link org.sipline.core.spi.SipBackendProvider} is found with {@link
 * java.util.ServiceLoader} and creates one {@link org.sipline.core.spi.SipBackend} per JVM; that
 * backend serves every line (account) through {@link org.sipline.core.spi.SipAccount} and {@link
 * org.sipline.core.spi.SipCall} handles and reports what the network did to a {@link
 * org.sipline.core.spi.SipEventListener}.
 *
 * <p>Audio crosses the SPI as 20 ms frames of 16-bit PCM at 8 kHz ({@link
 * org.sipline.core.spi.AudioFrames}): the core decides what is played ({@link
 * org.sipline.core.spi.AudioSource}), the backend decides how it travels (codec, RTP, pacing) and
 * hands what it receives to an {@link org.sipline.core.spi.AudioSink}.
 */
package org.sipline.core.spi;
