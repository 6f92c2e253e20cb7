package org.sipline.core.media;

import java.util.Objects;
import org.sipline.core.InvalidArgumentException;

/**
 * What a Converse stream asks for in its {@code Open}. Zero values mean the defaults of MEDIA.md;
 * {@link #validate()} refuses the rest naming the proto field ({@code open.inbound_frame_ms}).
 *
 * @param call which call to attach to
 * @param inbound caller → bot format
 * @param outbound bot → caller format
 * @param inboundFrameMs caller audio per event, 10..100 in steps of 10; 0 = per packet (20)
 * @param maxInboundLagMs caller audio kept for a slow client; 0 = 1000
 * @param maxQueuedMs bot audio queued at most; 0 = 20000
 * @param playoutIntervalMs Playout report period while audio plays; 0 = 100
 * @param takeOver replace the call's current writer instead of being refused
 * @param resumeToken a cut-off stream's token, or "" for a new stream
 */
public record ConverseOptions(
    CallSelector call,
    AudioFormat inbound,
    AudioFormat outbound,
    int inboundFrameMs,
    int maxInboundLagMs,
    int maxQueuedMs,
    int playoutIntervalMs,
    boolean takeOver,
    String resumeToken) {

  /** Caller audio per event when none is asked for: one packet's worth. */
  public static final int DEFAULT_FRAME_MS = 20;

  /** Caller audio kept for a slow client when no bound is asked for. */
  public static final int DEFAULT_MAX_INBOUND_LAG_MS = 1000;

  /** Bot audio queued at most when no bound is asked for. */
  public static final int DEFAULT_MAX_QUEUED_MS = 20_000;

  /** The Playout report period when none is asked for. */
  public static final int DEFAULT_PLAYOUT_INTERVAL_MS = 100;

  /**
   * Fills unset formats with the call's native one and an unset resume token with "".
   *
   * @param call which call to attach to
   * @param inbound caller → bot format
   * @param outbound bot → caller format
   * @param inboundFrameMs caller audio per event, 10..100 in steps of 10; 0 = per packet (20)
   * @param maxInboundLagMs caller audio kept for a slow client; 0 = 1000
   * @param maxQueuedMs bot audio queued at most; 0 = 20000
   * @param playoutIntervalMs Playout report period while audio plays; 0 = 100
   * @param takeOver replace the call's current writer instead of being refused
   * @param resumeToken a cut-off stream's token, or "" for a new stream
   */
  public ConverseOptions {
    Objects.requireNonNull(call, "call");
    inbound = inbound == null ? AudioFormat.NATIVE : inbound;
    outbound = outbound == null ? AudioFormat.NATIVE : outbound;
    resumeToken = resumeToken == null ? "" : resumeToken;
  }

  /**
   * Defaults everywhere, attached to {@code call}.
   *
   * @param call which call to attach to
   * @return the options
   */
  public static ConverseOptions defaults(CallSelector call) {
    return new ConverseOptions(call, null, null, 0, 0, 0, 0, false, "");
  }

  /**
   * Checks every field and fills the defaults in.
   *
   * @throws InvalidArgumentException naming the first field at fault
   * @return the options with every default filled in
   */
  public ConverseOptions validate() {
    inbound.validate("open.inbound_format");
    outbound.validate("open.outbound_format");
    int frame = checkFrameMs("open.inbound_frame_ms", inboundFrameMs);
    int lag = checkRange("open.max_inbound_lag_ms", maxInboundLagMs, 100, 60_000);
    int queued = checkRange("open.max_queued_ms", maxQueuedMs, 1000, 600_000);
    int playout = checkRange("open.playout_interval_ms", playoutIntervalMs, 20, 10_000);
    if (resumeToken.length() > 256) {
      throw new InvalidArgumentException("open.resume_token", "longer than 256 characters");
    }
    return new ConverseOptions(
        call,
        inbound,
        outbound,
        frame,
        lag == 0 ? DEFAULT_MAX_INBOUND_LAG_MS : lag,
        queued == 0 ? DEFAULT_MAX_QUEUED_MS : queued,
        playout == 0 ? DEFAULT_PLAYOUT_INTERVAL_MS : playout,
        takeOver,
        resumeToken);
  }

  static int checkFrameMs(String field, int ms) {
    if (ms == 0) {
      return DEFAULT_FRAME_MS;
    }
    if (ms < 10 || ms > 100 || ms % 10 != 0) {
      throw new InvalidArgumentException(
          field, ms + " ms: must be 10 to 100 in steps of 10 (0 = one event per packet)");
    }
    return ms;
  }

  static int checkRange(String field, int value, int min, int max) {
    if (value != 0 && (value < min || value > max)) {
      throw new InvalidArgumentException(
          field, value + " outside " + min + ".." + max + " (0 = the default)");
    }
    return value;
  }
}
