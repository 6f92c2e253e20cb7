package org.sipline.benchmarks.latency;

import java.util.Arrays;
import java.util.Locale;
import org.sipline.benchmarks.harness.Percentiles;

/**
 * Delays of one latency run, nanoseconds per sample (-1: the wire event never showed up).
 *
 * @param startCallToInvite SipStartCall sent → the INVITE on the wire
 * @param startCallInToInvite the SipStartCall request's arrival (its first TCP segment to the
 *     server) → the INVITE on the wire: the server's own share
 * @param inviteToRinging an incoming INVITE's send → its 180, at the SIPp caller (auto-answer 0)
 * @param inviteToAnswer the same INVITE's send → its 200
 * @param playToAudio SipPlayWavFiles sent → the first RTP packet carrying the new audio
 * @param muteToSilence SipMute sent → the first silent RTP packet
 * @param playInToAudio the same as {@code playToAudio}, from the request's arrival at the server
 *     (its first TCP segment on the wire) instead of from the client's send
 * @param muteInToSilence the same as {@code muteToSilence}, from the request's arrival
 * @param statusRoundTrip SipGetSipStatus round trip at the client
 * @param healthRoundTrip the gRPC health check's round trip at the client: the transport alone
 * @param loadBefore the machine's 1-minute load average at the start
 * @param loadAfter the same at the end
 * @param besideCalls calls streaming beside the server meanwhile
 */
// The arrays are samples for percentiles; a result is printed, never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
record LatencyResult(
    long[] startCallToInvite,
    long[] startCallInToInvite,
    long[] inviteToRinging,
    long[] inviteToAnswer,
    long[] playToAudio,
    long[] muteToSilence,
    long[] playInToAudio,
    long[] muteInToSilence,
    long[] statusRoundTrip,
    long[] healthRoundTrip,
    double loadBefore,
    double loadAfter,
    int besideCalls) {

  /** One Markdown row per measurement. */
  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| measurement | samples | p50 ms | p99 ms | max ms | unmatched |\n")
        .append("|---|---|---|---|---|---|\n");
    row(sb, "SipStartCall → INVITE on the wire", startCallToInvite);
    row(sb, "SipStartCall on the wire → INVITE on the wire", startCallInToInvite);
    row(sb, "incoming INVITE → 180 (at the SIPp caller)", inviteToRinging);
    row(sb, "incoming INVITE → 200, auto-answer 0 (at the SIPp caller)", inviteToAnswer);
    row(sb, "SipPlayWavFiles → first packet of the new audio", playToAudio);
    row(sb, "SipMute → first silent packet", muteToSilence);
    row(sb, "SipPlayWavFiles on the wire → first packet of the new audio", playInToAudio);
    row(sb, "SipMute on the wire → first silent packet", muteInToSilence);
    row(sb, "SipGetSipStatus round trip", statusRoundTrip);
    row(sb, "gRPC health check round trip (transport baseline)", healthRoundTrip);
    return sb.toString();
  }

  /** One TSV line per sample: measurement, index, nanoseconds. */
  String tsv() {
    StringBuilder sb = new StringBuilder("measurement\tsample\tnanos\n");
    tsv(sb, "start_call_to_invite", startCallToInvite);
    tsv(sb, "start_call_in_to_invite", startCallInToInvite);
    tsv(sb, "invite_to_ringing", inviteToRinging);
    tsv(sb, "invite_to_answer", inviteToAnswer);
    tsv(sb, "play_to_audio", playToAudio);
    tsv(sb, "mute_to_silence", muteToSilence);
    tsv(sb, "play_in_to_audio", playInToAudio);
    tsv(sb, "mute_in_to_silence", muteInToSilence);
    tsv(sb, "status_round_trip", statusRoundTrip);
    tsv(sb, "health_round_trip", healthRoundTrip);
    return sb.toString();
  }

  private static void tsv(StringBuilder sb, String name, long[] values) {
    for (int i = 0; i < values.length; i++) {
      sb.append(name).append('\t').append(i).append('\t').append(values[i]).append('\n');
    }
  }

  private static void row(StringBuilder sb, String name, long[] delays) {
    long[] matched = Arrays.stream(delays).filter(d -> d >= 0).toArray();
    Percentiles p = new Percentiles(matched, matched.length);
    sb.append("| ")
        .append(name)
        .append(" | ")
        .append(matched.length)
        .append(" | ")
        .append(ms(p.at(50)))
        .append(" | ")
        .append(ms(p.at(99)))
        .append(" | ")
        .append(ms(p.max()))
        .append(" | ")
        .append(delays.length - matched.length)
        .append(" |\n");
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "–" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
