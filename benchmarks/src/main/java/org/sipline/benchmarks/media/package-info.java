/**
 * The live media API (sipline.media.v1, MEDIA.md's table) measured through the real stack: the
 * server jar, a Java gRPC bot, the caller's RTP sent by the harness, tshark on {@code lo}.
 *
 * <pre>
 *  MediaMain → MediaRun (setup, phases: record times only)
 *                 CallerRtp          the caller's RTP and RFC 4733 digits
 *                 ConverseClient     the bot (echo, stall)       ListenClient   read-only taps
 *                 StreamRecord       events and their arrival times
 *                 Window             bounds, CPU, steal, load of a measurement window
 *            → MediaAnalysis (captures read once: MediaWire; pairs: MediaMatching) → MediaResult
 * </pre>
 */
package org.sipline.benchmarks.media;
