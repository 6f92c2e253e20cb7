/**
 * Real SIP peers from Debian for tests: each fixture starts its program on 127.0.0.1 with ports
 * from {@link org.sipline.testing.peers.FreePorts} and a config and run directory of its own, and
 * stops it by its PID on {@code close()} (SIGTERM, then SIGKILL after a bound; a JVM shutdown hook
 * catches what a test forgot).
 *
 * <ul>
 *   <li>{@link org.sipline.testing.peers.Kamailio} — registrar with digest auth and proxy; tells
 *       which users are registered and which requests it received.
 *   <li>{@link org.sipline.testing.peers.Sipp} — runs a SIPp scenario as UAS or UAC; the stock
 *       scenarios are in the test resources under {@code peers/sipp/}, loaded with {@link
 *       org.sipline.testing.peers.SippScenario#resource(String)}.
 *   <li>{@link org.sipline.testing.peers.Baresip} — a softphone driven over ctrl_tcp that dials,
 *       answers, reports call events and records what it hears.
 *   <li>{@link org.sipline.testing.AudioCompare}, {@link org.sipline.testing.TestSignals}, {@link
 *       org.sipline.testing.peers.PcmWav} — reference audio and how to compare a recording with it.
 *   <li>{@link org.sipline.testing.peers.PeersConformanceEnvironment} — the conformance suite's
 *       world of these programs for any backend: Kamailio as registrar and outbound proxy, SIPp far
 *       ends and callers.
 * </ul>
 *
 * <p>A failure to start says what happened and ends with the tail of the program's log. Every wait
 * is bounded. Run directories are removed on close; set the system property {@code
 * sipline.peers.keepFiles=true} to keep them for a look after a failed run.
 *
 * <p>The programs come from Debian 12: {@code kamailio}, {@code sip-tester} (sipp), {@code
 * baresip-core}; {@code scripts/test-all.sh} installs them where missing.
 */
package org.sipline.testing.peers;
