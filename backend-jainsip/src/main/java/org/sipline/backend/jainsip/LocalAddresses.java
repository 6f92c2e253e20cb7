package org.sipline.backend.jainsip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.sipline.core.spi.BackendConfig;

/**
 * Which of our addresses goes into Via, Contact and SDP. A configured advertised address wins; then
 * a specific bind address; with a wildcard bind (0.0.0.0, ::) the address is chosen per peer as the
 * one the kernel would send from, so a peer never sees an interface it can't reach.
 */
final class LocalAddresses {
  /** The address to use whatever the peer, as it goes on the wire; null: choose per peer. */
  private final String fixed;

  private LocalAddresses(String fixed) {
    this.fixed = fixed;
  }

  static LocalAddresses of(BackendConfig config) {
    InetAddress bind = resolve("bindAddress", config.bindAddress());
    if (config.advertisedAddress() != null) {
      // Checked for syntax only; a DNS name stays a name on the wire (e.g. behind NAT).
      resolve("advertisedAddress", config.advertisedAddress());
      return new LocalAddresses(config.advertisedAddress());
    }
    return new LocalAddresses(bind.isAnyLocalAddress() ? null : wireForm(bind));
  }

  /** Our address as a peer at {@code host} reaches it, in its wire form. */
  String toward(String host) throws IOException {
    if (fixed != null) {
      return fixed;
    }
    InetAddress peer = InetAddress.getByName(unbracket(host));
    // Connecting a datagram socket sends nothing; it only asks the routing table.
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(new InetSocketAddress(peer, 9));
      InetAddress local = probe.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        throw new IOException("no route to " + host + " (" + peer.getHostAddress() + ")");
      }
      return wireForm(local);
    }
  }

  private static String wireForm(InetAddress address) {
    String text = address.getHostAddress();
    // Drop an IPv6 scope ("%eth0"): it means nothing to the peer.
    int scope = text.indexOf('%');
    if (address instanceof Inet6Address && scope >= 0) {
      text = text.substring(0, scope);
    }
    return text;
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static InetAddress resolve(String what, String address) {
    try {
      return InetAddress.getByName(unbracket(address));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(what + ": cannot resolve '" + address + "'", e);
    }
  }
}
