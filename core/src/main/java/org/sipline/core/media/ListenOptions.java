package org.sipline.core.media;

import java.util.Objects;

/**
 * What a Listen (read-only tap) asks for.
 *
 * @param call which call to attach to
 * @param inbound caller audio format
 * @param inboundFrameMs as {@link ConverseOptions#inboundFrameMs()}
 * @param maxInboundLagMs as {@link ConverseOptions#maxInboundLagMs()}
 */
public record ListenOptions(
    CallSelector call, AudioFormat inbound, int inboundFrameMs, int maxInboundLagMs) {
  /**
   * Fills an unset format with the call's native one.
   *
   * @param call which call to attach to
   * @param inbound caller audio format
   * @param inboundFrameMs as {@link ConverseOptions#inboundFrameMs()}
   * @param maxInboundLagMs as {@link ConverseOptions#maxInboundLagMs()}
   */
  public ListenOptions {
    Objects.requireNonNull(call, "call");
    inbound = inbound == null ? AudioFormat.NATIVE : inbound;
  }

  /**
   * Checks every field and fills the defaults in, naming the proto field at fault.
   *
   * @return the options with every default filled in
   */
  public ListenOptions validate() {
    inbound.validate("inbound_format");
    int frame = ConverseOptions.checkFrameMs("inbound_frame_ms", inboundFrameMs);
    int lag = ConverseOptions.checkRange("max_inbound_lag_ms", maxInboundLagMs, 100, 60_000);
    return new ListenOptions(
        call, inbound, frame, lag == 0 ? ConverseOptions.DEFAULT_MAX_INBOUND_LAG_MS : lag);
  }
}
