package org.sipline.backend.jainsip.media;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The far end of a call's RTP: where packets go and the only source they are accepted from.
 *
 * <p>When the SDP names a usable address, that is the peer (strict source). When it names none, or
 * one nobody can send from (0.0.0.0 — the old way to say "hold" — or port 0), the peer is the
 * source of the first valid packet (latching, "symmetric RTP"), and packets are sent back to it.
 * Written by the signalling thread ({@link #update}) and the receive thread ({@link #latch}); read
 * by the pacer thread.
 */
final class RtpPeer {
  /** An immutable snapshot, so readers never see an address and a mode from different updates. */
  private record Target(InetSocketAddress address, boolean latching) {}

  private final AtomicReference<Target> target = new AtomicReference<>();

  RtpPeer(InetSocketAddress sdpAddress) {
    update(sdpAddress);
  }

  /** Whether RTP can be sent to and expected from {@code address}. */
  static boolean usable(InetSocketAddress address) {
    return address != null
        && !address.isUnresolved()
        && !address.getAddress().isAnyLocalAddress()
        && address.getPort() > 0;
  }

  /** Takes the address of a new SDP (re-INVITE); an unusable one starts latching afresh. */
  void update(InetSocketAddress sdpAddress) {
    target.set(usable(sdpAddress) ? new Target(sdpAddress, false) : new Target(null, true));
  }

  /**
   * Whether a datagram from {@code source} may be looked at: the peer's, or any while latching has
   * not caught one yet.
   */
  boolean admits(InetSocketAddress source) {
    Target t = target.get();
    return t.address == null ? t.latching : t.address.equals(source);
  }

  /**
   * Called for every valid packet: while latching and no source is known yet, {@code source}
   * becomes the peer.
   *
   * @return true when this call latched
   */
  boolean latch(InetSocketAddress source) {
    Target t = target.get();
    return t.latching && t.address == null && target.compareAndSet(t, new Target(source, true));
  }

  /** Where to send, or null while latching has no source yet. */
  InetSocketAddress address() {
    return target.get().address;
  }

  boolean latching() {
    return target.get().latching;
  }
}
