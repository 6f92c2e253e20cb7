package org.sipline.backend.jainsip.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a peer's {@code a=fmtp} line for Opus asks of the stream we send it (RFC 7587 §6.1): the
 * highest rate it cares to play (RFC 7587's "maxplaybackrate"), whether it wants in-band FEC
 * ({@code useinbandfec}) and DTX ({@code usedtx}), and the bit rate it can take (RFC 7587's
 * "maxaveragebitrate"). Everything is optional; a parameter this class does not know is ignored as
 * the RFC says, and one it knows with a value out of its range is ignored too, with the reason kept
 * in {@link #problems()} for the call's log — a peer's odd fmtp must not fail a call that Opus's
 * defaults can carry.
 *
 * @param maxPlaybackRate Hz, 8000..48000 (48000 when absent)
 * @param inbandFec the peer decodes in-band FEC and would like it
 * @param dtx the peer accepts discontinuous transmission
 * @param maxAverageBitrate bit/s, 6000..510000, or 0 when absent
 * @param problems one sentence per parameter ignored for its value
 */
public record OpusParameters(
    int maxPlaybackRate,
    boolean inbandFec,
    boolean dtx,
    int maxAverageBitrate,
    List<String> problems) {
  /** RFC 7587's defaults: full band, no FEC, no DTX, no bit-rate cap. */
  public static final OpusParameters DEFAULTS =
      new OpusParameters(48000, false, false, 0, List.of());

  /**
   * Keeps a copy of the problems.
   *
   * @param maxPlaybackRate Hz, 8000..48000
   * @param inbandFec the peer would like in-band FEC
   * @param dtx the peer accepts DTX
   * @param maxAverageBitrate bit/s, or 0 for no cap
   * @param problems one sentence per ignored parameter
   */
  public OpusParameters {
    problems = List.copyOf(problems);
  }

  /**
   * Reads the parameter part of an fmtp attribute, such as {@code
   * "maxplaybackrate=16000;useinbandfec=1"} (what follows {@code a=fmtp:111 }); null or blank gives
   * the defaults.
   *
   * @param fmtp the peer's parameters, untrusted
   * @return what they ask, with the ones ignored named in {@link #problems()}
   */
  public static OpusParameters parse(String fmtp) {
    if (fmtp == null || fmtp.isBlank()) {
      return DEFAULTS;
    }
    int maxPlaybackRate = DEFAULTS.maxPlaybackRate;
    boolean fec = false;
    boolean dtx = false;
    int bitrate = 0;
    List<String> problems = new ArrayList<>();
    for (String item : fmtp.split(";")) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String name = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : trimmed.substring(eq + 1).trim();
      switch (name) {
        case "maxplaybackrate" ->
            maxPlaybackRate = number(name, value, 8000, 48000, maxPlaybackRate, problems);
        case "maxaveragebitrate" -> bitrate = number(name, value, 6000, 510000, 0, problems);
        case "useinbandfec" -> fec = flag(name, value, problems);
        case "usedtx" -> dtx = flag(name, value, problems);
        default -> {
          // stereo, sprop-stereo, cbr, sprop-maxcapturerate, …: ours is a mono VOIP stream whose
          // defaults suit every value of them (RFC 7587 §6.1 lets a receiver ignore them).
        }
      }
    }
    return new OpusParameters(maxPlaybackRate, fec, dtx, bitrate, problems);
  }

  private static int number(
      String name, String value, int min, int max, int fallback, List<String> problems) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the range
    }
    problems.add(name + "=" + quote(value) + " ignored: not a number in " + min + ".." + max);
    return fallback;
  }

  private static boolean flag(String name, String value, List<String> problems) {
    if (value.equals("0") || value.equals("1")) {
      return value.equals("1");
    }
    problems.add(name + "=" + quote(value) + " ignored: 0 or 1 only");
    return false;
  }

  /** A peer's value shortened for a log line: never the whole of an arbitrarily long string. */
  private static String quote(String value) {
    return value.length() <= 16 ? value : value.substring(0, 16) + "…";
  }

  /**
   * The audio bandwidth worth coding for this peer.
   *
   * @return Hz: half its playback rate (Nyquist)
   */
  public int maxBandwidthHz() {
    return maxPlaybackRate / 2;
  }
}
