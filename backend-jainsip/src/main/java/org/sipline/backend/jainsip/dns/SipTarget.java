package org.sipline.backend.jainsip.dns;

import java.util.Objects;
import org.sipline.core.spi.Transport;

/**
 * One place a request may be sent (RFC 3263 §4): a numeric address, a port and a transport. A
 * located server is a list of these, tried in order.
 *
 * @param address an IPv4 address or an IPv6 address without brackets
 * @param port 1..65535
 * @param transport how to reach it
 */
public record SipTarget(String address, int port, Transport transport) {
  /**
   * Checks the port's range.
   *
   * @param address an IPv4 address or an IPv6 address without brackets
   * @param port 1..65535
   * @param transport how to reach it
   */
  public SipTarget {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(transport, "transport");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range 1..65535: " + port);
    }
  }

  /**
   * {@code address:port}, the IPv6 address bracketed.
   *
   * @return the target as a Via or log line shows it
   */
  public String hostPort() {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  @Override
  public String toString() {
    return hostPort() + "/" + transport;
  }
}
