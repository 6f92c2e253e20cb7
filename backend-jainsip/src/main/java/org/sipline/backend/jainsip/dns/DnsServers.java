package org.sipline.backend.jainsip.dns;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The name servers to ask, from {@code host[:port],…} ({@code [v6]:port} for IPv6). Each host must
 * be a numeric address: a name server found by name would need a name server first.
 */
public final class DnsServers {
  /** The port of a name server given without one. */
  public static final int DEFAULT_PORT = 53;

  private DnsServers() {}

  /**
   * The servers {@code text} lists, in order.
   *
   * @param text {@code address[:port],…}, IPv6 as {@code [v6]:port}
   * @return the servers, port {@value #DEFAULT_PORT} where none was given
   * @throws IllegalArgumentException naming the entry that is not {@code address[:port]}
   */
  public static List<InetSocketAddress> parse(String text) {
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String raw : text.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("name server list '" + text + "' has an empty entry");
      }
      servers.add(one(entry));
    }
    return List.copyOf(servers);
  }

  private static InetSocketAddress one(String entry) {
    String host = entry;
    int port = DEFAULT_PORT;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw bad(entry, "no closing ']'");
      }
      host = entry.substring(1, close);
      String rest = entry.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(entry, "'" + rest + "' after the address");
        }
        port = port(entry, rest.substring(1));
      }
    } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
      host = entry.substring(0, entry.indexOf(':'));
      port = port(entry, entry.substring(entry.indexOf(':') + 1));
    }
    java.net.InetAddress address = IpLiteral.parse(host);
    if (address == null) {
      throw bad(entry, "'" + host + "' is not a numeric IPv4 or IPv6 address");
    }
    return new InetSocketAddress(address, port);
  }

  private static int port(String entry, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // refused below with the entry named
    }
    throw bad(entry, "port '" + text + "' is not 1..65535");
  }

  private static IllegalArgumentException bad(String entry, String why) {
    return new IllegalArgumentException("name server '" + entry + "': " + why);
  }
}
