/**
 * Call rate through the real stack (issue 16 item 2): one server process takes calls in from SIPp
 * through Kamailio on a trunk identity shared by many lines, and places as many out by gRPC
 * SipStartCall across other lines to a SIPp callee through the same Kamailio; the rate is stepped
 * up and each step's failed calls, set-up times and CPU are reported.
 *
 * <pre>
 *  CallRateMain → CallRateRun (Kamailio, server jar, SIPp callee; per rate:)
 *                    IncomingCalls   SIPp caller at the rate, its set-up times from its log
 *                    OutgoingCalls   SipStartCall at the rate on free lines
 *                    LineWatch       WatchStatus of every line: counts, free lines, connect times
 *               → CallRateStep per rate → summary.md
 * </pre>
 */
package org.sipline.benchmarks.callrate;
