/**
 * What the pacing and latency harnesses share: child processes stopped by PID, SIPp and baresip
 * peers on loopback, UDP sinks, the tshark capture on {@code lo} and its RTP reading, CPU from
 * {@code /proc}. Public only so both harness packages can use it; not an API.
 */
package org.sipline.benchmarks.harness;
